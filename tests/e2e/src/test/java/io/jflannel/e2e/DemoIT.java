package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Demo;
import io.jflannel.testing.LocalEtcd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's code path with --once, per backend: every pair reachable, nothing left behind. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoIT {
  @ParameterizedTest
  @ValueSource(strings = {"vxlan", "host-gw", "udp"})
  void demoOnceSucceedsAndCleansUp(String backend) {
    String netnsBefore = Cmd.ok("ip", "netns", "list");
    String linksBefore = Cmd.ok("ip", "-o", "link", "show");
    String iptablesBefore = Cmd.ok("iptables-save");
    String agentsBefore = count("-f", "io.jflannel.agent.Jflanneld");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Demo.create(new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(new String[] {"--backend", backend, "--once"});
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains("[6/6] packet path", "OK: 0 pairs unreachable")
        .doesNotContain("FAIL");
    assertThat(text.lines().filter(l -> l.contains(" ok ")).count()).isEqualTo(6);
    assertThat(text).containsPattern("SUBNET +PUBLIC-IP +BACKEND +VTEP-MAC +EXPIRES +RESERVED");
    assertThat(text).containsPattern("10\\.244\\.\\d+\\.0/24 +198\\.18\\.0\\.11 +" + backend + " ");
    assertThat(Cmd.ok("ip", "netns", "list")).isEqualTo(netnsBefore);
    assertThat(Cmd.ok("ip", "-o", "link", "show").lines().count())
        .isEqualTo(linksBefore.lines().count());
    assertThat(count("-f", "io.jflannel.agent.Jflanneld"))
        .as("no agent left running")
        .isEqualTo(agentsBefore);
    assertThat(Cmd.ok("iptables-save").replaceAll("(?m)^#.*\\n", ""))
        .as("root namespace iptables untouched")
        .isEqualTo(iptablesBefore.replaceAll("(?m)^#.*\\n", ""));
  }

  @Test
  void dockerDemoOnceShowsRealContainersAndLeavesNothingBehind() throws Exception {
    String netnsBefore = Cmd.ok("ip", "netns", "list");
    String iptablesBefore = Cmd.ok("iptables-save").replaceAll("(?m)^#.*\\n", "");
    String daemonsBefore = count("-x", "dockerd");
    String shimsBefore = count("-f", "containerd-shim.*jflannel-");
    List<String> imagesBefore = Cmd.ok("/usr/bin/docker", "images", "-q").lines().sorted().toList();
    String dirsBefore = leftovers();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Demo.create(new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(new String[] {"--docker", "--once"});
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains(
            "dockerd --bip=10.244.",
            "--ip-masq=false --mtu=1450",
            "node1-c1   local/busybox:1   Up")
        .contains("OK: 0 pairs unreachable")
        .doesNotContain("FAIL");
    assertThat(Cmd.ok("ip", "netns", "list")).isEqualTo(netnsBefore);
    assertThat(count("-x", "dockerd")).as("no dockerd left running").isEqualTo(daemonsBefore);
    assertThat(count("-f", "containerd-shim.*jflannel-"))
        .as("no container left running")
        .isEqualTo(shimsBefore);
    assertThat(leftovers()).as("no image store, data root or cgroup left").isEqualTo(dirsBefore);
    assertThat(Cmd.ok("iptables-save").replaceAll("(?m)^#.*\\n", "")).isEqualTo(iptablesBefore);
    assertThat(Cmd.ok("/usr/bin/docker", "images", "-q").lines().sorted().toList())
        .isEqualTo(imagesBefore);
  }

  @Test
  void demoOnAnExistingEtcdUsesItsOwnPrefixAndRemovesItsKeys() throws Exception {
    try (LocalEtcd etcd = new LocalEtcd(23000 + ThreadLocalRandom.current().nextInt(2000))) {
      etcd.awaitHealthy();
      String url = etcd.url();
      etcd.etcdctl("put", "/coreos.com/network/config", "someone else's");
      String bridgesBefore = count("-x", "socat");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit =
          Demo.create(new PrintStream(out, true, StandardCharsets.UTF_8))
              .run(
                  new String[] {
                    "--backend", "host-gw", "--nodes", "2", "--once", "--etcd-endpoints", url
                  });
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(text).isZero();
      assertThat(text).contains("etcd: yours at " + url, "OK: 0 pairs unreachable");
      assertThat(etcd.etcdctl("get", "--prefix", "/", "--keys-only").strip())
          .as("only the key that was there before")
          .isEqualTo("/coreos.com/network/config");
      assertThat(etcd.etcdctl("get", "/coreos.com/network/config", "--print-value-only").strip())
          .isEqualTo("someone else's");
      // a killed connection's socat is gone once init has reaped it: bounded, not instant
      await()
          .atMost(java.time.Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(count("-x", "socat"))
                      .as("no bridge process left")
                      .isEqualTo(bridgesBefore));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--backend=ipsec", "--nodes", "--etcd-endpoints"})
  void badArgumentsGiveExit2(String arg) {
    String[] args =
        arg.equals("--backend=ipsec") ? new String[] {"--backend", "ipsec"} : new String[] {arg};
    assertThat(
            Demo.create(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(args))
        .isEqualTo(2);
  }

  /**
   * How many processes match (pgrep -c); processes of other runs are compared, not counted as ours.
   */
  private static String count(String... pattern) {
    List<String> cmd = new java.util.ArrayList<>(List.of("pgrep", "-c"));
    cmd.addAll(List.of(pattern));
    return Cmd.run(cmd, 10).out().strip();
  }

  /** Cluster directories and cgroups on the host; other runs' leftovers are compared, not ours. */
  private static String leftovers() {
    return Cmd.run(
            List.of("sh", "-c", "ls -d /tmp/jflannel-jf* /sys/fs/cgroup/*/jf* 2>/dev/null | sort"),
            10)
        .out();
  }
}
