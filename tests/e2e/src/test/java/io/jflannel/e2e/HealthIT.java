package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Health never says READY over a data path the agent can see is dead, on a real node in the
 * nftables mode: another forward chain's policy drop, the interface's address removed, a CNI config
 * kubelet will not use or cannot read. Each turns the node DEGRADED with the reason and the fix
 * within the resync period (2 s here), unready; fixing it makes the node READY again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HealthIT {
  static NetnsCluster cluster;
  static Node n;

  @BeforeAll
  static void boot() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            1,
            jar,
            "{\"Network\":\"10.244.0.0/16\",\"EnableNFTables\":true,\"Backend\":{\"Type\":\"vxlan\"}}");
    n = cluster.nodes().get(0);
    Cmd.in(n.ns(), "iptables", "-P", "FORWARD", "ACCEPT"); // an nftables host has no Docker DROP
    n.startAgent();
    n.awaitSubnet(60_000);
    awaitReady();
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String status() {
    return n.jflanctl("status").out();
  }

  static void awaitReady() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(status()).containsPattern("state: +READY"));
  }

  /** Breaks the node, sees DEGRADED with {@code reason} and unready, fixes it, sees READY. */
  static void degradedUntilFixed(Runnable breakIt, String area, String reason, Runnable fix) {
    breakIt.run();
    long t0 = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(
            () ->
                assertThat(status())
                    .containsPattern("state: +DEGRADED")
                    .contains(area + ": ")
                    .contains(reason));
    System.out.printf("%s: DEGRADED after %.1f s%n", area, (System.nanoTime() - t0) / 1e9);
    assertThat(status()).containsPattern("ready: +no");
    assertThat(
            Cmd.runIn(
                    n.ns(),
                    5,
                    "bash",
                    "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/8471; printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3; head -1 <&3")
                .out())
        .as("/readyz")
        .contains("503");
    fix.run();
    awaitReady();
  }

  @Test
  void aForwardDropInAnotherBaseChainDegrades() {
    degradedUntilFixed(
        () -> Cmd.in(n.ns(), "iptables", "-P", "FORWARD", "DROP"),
        "forward",
        "ip filter FORWARD has policy drop",
        () -> Cmd.in(n.ns(), "iptables", "-P", "FORWARD", "ACCEPT"));
  }

  @Test
  void theInterfaceLosingItsAddressDegrades() {
    String a = n.address() + "/24";
    degradedUntilFixed(
        () -> Cmd.in(n.ns(), "ip", "addr", "del", a, "dev", "eth0"),
        "interface",
        "eth0 no longer has " + n.address(),
        () -> Cmd.in(n.ns(), "ip", "addr", "add", a, "dev", "eth0"));
  }

  @Test
  void aCniConfigKubeletWillNotUseOrCannotReadDegrades() throws Exception {
    Path dir = n.cniConfDir();
    Path ours = n.cniConfList();
    Path foreign = dir.resolve("00-other.conflist");
    degradedUntilFixed(
        () -> write(foreign, "{\"name\":\"other\",\"plugins\":[]}"),
        "cni",
        foreign + " sorts before " + ours.getFileName(),
        () -> delete(foreign));
    String mine = Files.readString(ours);
    degradedUntilFixed(
        () -> write(ours, "{\"name\":\"someone-else\",\"plugins\":[]}"),
        "cni",
        ours + " exists and was not written by jflanneld",
        () -> delete(ours)); // ours is written again at the next reconcile
    assertThat(Files.readString(ours)).isEqualTo(mine);
    degradedUntilFixed(
        () -> {
          Cmd.ok("rm", "-rf", dir.toString());
          write(dir, "not a directory");
        },
        "cni",
        "cannot write " + ours,
        () -> {
          delete(dir);
        });
    assertThat(Files.readString(ours)).isEqualTo(mine);
  }

  static void write(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
