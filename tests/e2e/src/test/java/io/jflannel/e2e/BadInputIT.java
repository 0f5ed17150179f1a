package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator sees on bad input: one clear line and the right exit, or a retry that says why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputIT {
  static NetnsCluster cluster;
  static Node node;

  @BeforeAll
  static void boot() throws Exception {
    cluster =
        new NetnsCluster(
            1,
            Path.of(System.getProperty("jflannel.agent.jar", "missing.jar")),
            "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    node = cluster.nodes().get(0);
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stopAgent() {
    node.stopAgent(true);
  }

  static String log() throws Exception {
    return Files.readString(node.log());
  }

  @Test
  void missingConfigWaitsAndSaysSoThenProceeds() throws Exception {
    cluster.etcdctl("del", "/coreos.com/network/config");
    node.startAgent("--subnet-file", node.subnetFile() + ".wait");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(log()).contains("network config /coreos.com/network/config not found"));
    assertThat(node.agent().isAlive()).isTrue();
    cluster.etcdctl(
        "put",
        "/coreos.com/network/config",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.isRegularFile(Path.of(node.subnetFile() + ".wait")));
  }

  @Test
  void readyAndStatusGoToTheNotifySocketOnceSubnetEnvIsWritten(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path sock = dir.resolve("notify.sock");
    Path subnetFile = Path.of(node.subnetFile() + ".notify");
    try (jnr.unixsocket.UnixDatagramChannel ch = jnr.unixsocket.UnixDatagramChannel.open()) {
      ch.bind(new jnr.unixsocket.UnixSocketAddress(sock.toFile()));
      node.environment().put("NOTIFY_SOCKET", sock.toString());
      node.startAgent("--subnet-file", subnetFile.toString());
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
      java.util.concurrent.ExecutorService ex =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        ex.submit(() -> ch.receive(buf)).get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        String stacks =
            io.jflannel.testing.Cmd.run(
                    java.util.List.of("jstack", Long.toString(node.agent().pid())), 20)
                .out();
        throw new AssertionError(
            "no READY=1 within 30 s; log:\n" + node.tail() + "\nthreads:\n" + stacks, e);
      } finally {
        ex.shutdownNow();
      }
      boolean envExisted = Files.isRegularFile(subnetFile);
      String msg =
          new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(msg)
          .startsWith("READY=1\nSTATUS=subnet 10.244.")
          .contains("peers programmed", "MAINPID=");
      assertThat(envExisted).as("subnet.env written before READY=1").isTrue();
    } finally {
      node.environment().remove("NOTIFY_SOCKET");
    }
  }

  @Test
  void unknownBackendTypeIsOneLineAndExit1() throws Exception {
    node.startAgent(); // a run that saves its valid config
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(node.jflanctl("status").out()).containsPattern("state: +READY"));
    node.stopAgent(false);
    cluster.etcdctl(
        "put",
        "/coreos.com/network/config",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"ipsec\"}}");
    try {
      // a node that never ran has no valid config to fall back on: one line, exit 1
      node.startAgent("--state-dir", node.dir().resolve("fresh-state").toString());
      assertThat(node.agent().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(node.agent().exitValue()).isEqualTo(1);
      assertThat(log())
          .contains(
              "jflanneld: invalid network config: Backend.Type: \"ipsec\" is not supported by jflannel (alloc, host-gw, udp, vxlan)")
          .doesNotContain("\tat ");
      // one that ran before keeps running on its last valid config, DEGRADED: no crash loop
      node.startAgent();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(node.jflanctl("status").out())
                      .containsPattern("state: +DEGRADED")
                      .contains("is invalid", "running on the last valid one"));
      assertThat(node.agent().isAlive()).isTrue();
    } finally {
      cluster.etcdctl(
          "put",
          "/coreos.com/network/config",
          "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    }
  }

  @Test
  void hostGwBehindNatIsRefused() throws Exception {
    node.startAgent("--public-ip", "198.18.0.99");
    assertThat(node.agent().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.agent().exitValue()).isEqualTo(1);
    assertThat(log())
        .contains(
            "jflanneld: host-gw backend: host-gw needs PublicIP 198.18.0.99 to be an address of eth0 (198.18.0.11): NAT between nodes is not supported");
  }

  @Test
  void interfaceNotFoundIsOneLine() throws Exception {
    node.startAgent("--iface", "eth9");
    assertThat(node.agent().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.agent().exitValue()).isEqualTo(1);
    assertThat(log().strip())
        .endsWith("jflanneld: interface: no interface matches --iface [eth9] / --iface-regex []");
  }

  @Test
  void unreachableEtcdAtStartIsRetriedWithAClearLog() throws Exception {
    node.startAgent(
        "--etcd-endpoints", "http://198.18.0.251:2379", "--state-dir", "/nonexistent-state");
    await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () ->
                assertThat(log())
                    .contains(
                        "cannot read network config /coreos.com/network/config",
                        "no local state from a previous run: waiting for etcd"));
    assertThat(node.agent().isAlive()).as("not fatal: keeps retrying").isTrue();
  }
}
