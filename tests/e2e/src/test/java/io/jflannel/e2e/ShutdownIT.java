package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.EtcdBurst;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM at random moments (seeded, repeatable): during start-up, and during a burst of 500 lease
 * puts, 20 times in all. Each time: exit 0 within two seconds, no stack trace, no kernel write
 * after "stopping", and the state (lease, subnet.env, device, routes) kept for the next start.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ShutdownIT {
  static final long SEED = Long.getLong("jflannel.seed", 20261127L);
  static NetnsCluster cluster;

  @BeforeAll
  static void boot() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            1,
            jar,
            "{\"Network\":\"10.240.0.0/12\",\"SubnetLen\":24,\"Backend\":{\"Type\":\"vxlan\"}}");
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** 500 vxlan leases in 10.241.0.0/24 .. 10.242.243.0/24, their MACs telling the round. */
  static Map<String, String> burst(int round) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 0; i < 500; i++) {
      String key = "/coreos.com/network/subnets/10." + (241 + i / 256) + "." + (i % 256) + ".0-24";
      String mac = String.format("0a:58:%02x:%02x:%02x:01", round, i >> 8, i & 0xff);
      kv.put(
          key,
          "{\"PublicIP\":\"198.18."
              + (1 + i / 250)
              + "."
              + (1 + i % 250)
              + "\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\""
              + mac
              + "\"}}");
    }
    return kv;
  }

  @Test
  void sigtermAtRandomMomentsNeverLeavesAStackTraceOrLosesState() throws Exception {
    Random rnd = new Random(SEED);
    Node n = cluster.nodes().get(0);
    String lease = null;
    String env = null;
    for (int round = 1; round <= 20; round++) {
      boolean duringStart = round % 2 == 1;
      Path seen = Files.createTempFile("jflannel-monitor", ".txt");
      Process monitor =
          new ProcessBuilder("ip", "netns", "exec", n.ns(), "ip", "-4", "-ts", "monitor", "route")
              .redirectErrorStream(true)
              .redirectOutput(seen.toFile())
              .start();
      n.startAgent();
      long delay;
      Process burst = null;
      if (duringStart) {
        delay = rnd.nextInt(1500);
        Thread.sleep(delay);
      } else {
        n.awaitSubnet(30_000);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.readString(n.log()).contains("ready:"));
        burst = EtcdBurst.start(cluster.etcdNamespace(), NetnsCluster.ETCD, burst(round));
        delay = rnd.nextInt(800);
        Thread.sleep(delay);
      }
      n.agent().destroy(); // SIGTERM
      String what =
          "round "
              + round
              + " (seed "
              + SEED
              + ", SIGTERM "
              + delay
              + " ms after "
              + (duringStart ? "start" : "the burst began")
              + ")";
      assertThat(n.agent().waitFor(2, TimeUnit.SECONDS)).as(what + ": exits").isTrue();
      if (burst != null) {
        burst.waitFor(60, TimeUnit.SECONDS);
      }
      Thread.sleep(300);
      Cmd.stop(monitor, false);
      String log = Files.readString(n.log());
      if (log.isBlank()) { // SIGTERM before the JVM ran our code: the JVM's own default, 128+15
        assertThat(n.agent().exitValue()).as(what).isIn(0, 143);
      } else {
        assertThat(n.agent().exitValue()).as(what + ": exit code; log:\n" + log).isZero();
      }
      assertThat(log).as(what).doesNotContain("Exception", "\tat ", "ERROR");
      String routes = Files.readString(seen);
      Files.delete(seen);
      assertNoKernelWriteAfterStopping(what, log, routes);
      String subnetFile = Files.exists(n.subnetFile()) ? Files.readString(n.subnetFile()) : null;
      if (env != null) {
        assertThat(subnetFile).as(what + ": subnet.env kept").isEqualTo(env);
      }
      if (subnetFile != null) {
        env = subnetFile;
        String key =
            "/coreos.com/network/subnets/"
                + subnetFile
                    .lines()
                    .filter(l -> l.startsWith("FLANNEL_SUBNET="))
                    .findFirst()
                    .orElseThrow()
                    .substring(15)
                    .replace(".1/24", ".0-24");
        String now = cluster.etcdctl("get", key, "--print-value-only").strip();
        assertThat(now).as(what + ": lease kept").isNotBlank();
        if (lease != null) {
          assertThat(now).as(what + ": same lease value").isEqualTo(lease);
        }
        lease = now;
        assertThat(Cmd.in(n.ns(), "ip", "-o", "link", "show", "flannel.1"))
            .as(what)
            .contains("flannel.1");
      }
    }
    long withLease =
        java.util.regex.Pattern.compile("\"lease\":([1-9]\\d*)")
            .matcher(
                cluster.etcdctl("get", "--prefix", "/coreos.com/network/subnets/", "-w", "json"))
            .results()
            .count();
    long leases =
        cluster.etcdctl("lease", "list").lines().filter(l -> l.matches("[0-9a-f]+")).count();
    assertThat(leases)
        .as("no etcd lease leaked by 20 interrupted runs")
        .isEqualTo(withLease)
        .isEqualTo(1);
  }

  /** Route changes the monitor saw after the agent logged "stopping" (there must be none). */
  static void assertNoKernelWriteAfterStopping(String what, String log, String monitor) {
    String stop =
        log.lines()
            .filter(l -> l.contains("stopping: lease and kernel state are kept"))
            .findFirst()
            .orElse(null);
    if (stop == null) {
      return; // stopped before the log was set up: nothing was written either
    }
    LocalTime stoppedAt = LocalTime.parse(stop.substring(0, 12));
    List<String> after =
        monitor
            .lines()
            .filter(l -> l.startsWith("["))
            .filter(
                l -> LocalTime.parse(l.substring(12, 27)).isAfter(stoppedAt.plusNanos(50_000_000)))
            .toList();
    assertThat(after).as(what + ": kernel writes after 'stopping'").isEmpty();
  }
}
