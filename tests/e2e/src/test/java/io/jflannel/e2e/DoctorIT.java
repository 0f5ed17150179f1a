package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jflanctl doctor} on a node namespace of a running cluster: every line OK on a healthy
 * node; each preflight problem made on the node gives its FAIL line naming its troubleshooting
 * section, and exit 1 (forwarding off, bridged traffic past iptables, TUN absent for udp, a foreign
 * CNI config sorting first, an interface MTU too small, rules in both iptables back ends, etcd
 * gone).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DoctorIT {
  @Test
  void healthyIsAllOkAndEachProblemIsItsFailLine() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            2, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      Node n = cluster.nodes().get(0);
      for (Node x : cluster.nodes()) {
        x.startAgent();
      }
      for (Node x : cluster.nodes()) {
        x.awaitSubnetEnv(60_000);
      }
      n.awaitPeers(1, 30);
      Cmd.Result ok = doctor(cluster, n);
      assertThat(ok.out()).doesNotContain("WARN", "FAIL");
      assertThat(ok.exit()).as(ok.out()).isZero();
      assertThat(ok.out())
          .contains("OK   ip_forward", "OK   etcd", "OK   lease", "OK   mtu", "OK   agent");

      Cmd.in(n.ns(), "sysctl", "-qw", "net.ipv4.ip_forward=0");
      assertFails(cluster, n, "FAIL ip_forward", "#ip-forward");
      Cmd.in(n.ns(), "sysctl", "-qw", "net.ipv4.ip_forward=1");

      Cmd.in(n.ns(), "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0");
      assertFails(cluster, n, "FAIL br_netfilter", "#br-netfilter");
      Cmd.in(n.ns(), "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1");

      Path foreign = n.cniConfDir().resolve("05-other.conflist");
      Files.writeString(foreign, "{\"cniVersion\":\"0.4.0\",\"name\":\"other\",\"plugins\":[]}");
      assertFails(cluster, n, "FAIL cni", "#foreign-cni-config");
      Files.delete(foreign);

      Cmd.in(n.ns(), "ip", "link", "set", "eth0", "mtu", "600");
      assertFails(cluster, n, "FAIL mtu", "eth0's MTU 600 leaves the pods 550", "#mtu");
      Cmd.in(n.ns(), "ip", "link", "set", "eth0", "mtu", "1500");

      Cmd.in(n.ns(), "iptables-legacy", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
      assertFails(cluster, n, "FAIL iptables", "rules in both iptables-legacy", "#iptables-mix");
      Cmd.in(n.ns(), "iptables-legacy", "-D", "INPUT", "-i", "lo", "-j", "ACCEPT");

      cluster.stopEtcd();
      assertFails(cluster, n, "FAIL etcd", "#etcd-unreachable");
      cluster.startEtcd();
      assertThat(doctor(cluster, n).exit()).as("all mended").isZero();
    }
  }

  @Test
  void theUdpBackendNeedsTun() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            1, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\"}}")) {
      Node n = cluster.nodes().get(0);
      Cmd.Result with = doctor(cluster, n);
      assertThat(with.out()).contains("OK   tun");
      // a mount namespace of this run only, where /dev/net is an empty tmpfs: no TUN device
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "unshare",
                  "-m",
                  "sh",
                  "-c",
                  "mount -t tmpfs none /dev/net && exec \"$0\" \"$@\""));
      cmd.addAll(doctorCommand(cluster, n));
      Cmd.Result without = Cmd.run(cmd, 120);
      assertThat(without.exit()).as(without.out()).isEqualTo(1);
      assertThat(without.out()).contains("FAIL tun", "#tun-missing");
    }
  }

  private static void assertFails(NetnsCluster cluster, Node n, String... lines) {
    Cmd.Result r = doctor(cluster, n);
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains(lines);
  }

  private static Cmd.Result doctor(NetnsCluster cluster, Node n) {
    return Cmd.run(doctorCommand(cluster, n), 120);
  }

  /** jflanctl doctor in the node's namespace, with the node agent's paths. */
  private static List<String> doctorCommand(NetnsCluster cluster, Node n) {
    return List.of(
        "ip",
        "netns",
        "exec",
        n.ns(),
        "java",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("jflannel.agent.jar"),
        "io.jflannel.ctl.Jflanctl",
        "doctor",
        "--etcd-endpoints=" + cluster.etcdEndpoints(),
        "--etcd-prefix=" + cluster.etcdPrefix(),
        "--iface=eth0",
        "--socket=" + n.adminSocket(),
        "--subnet-file=" + n.subnetFile(),
        "--cni-conf-dir=" + n.cniConfDir());
  }
}
