package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.Pinger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node 1's underlay address changes under its running agent (as a DHCP renewal or a re-attached
 * cloud NIC does: the new address added, the old one removed) while the pods of every pair of nodes
 * ping each other at 50/s: every pair pings again within 5 s, node 1 keeps its subnet and its pid,
 * its lease advertises the new address; the same for PublicIPv6 in a dual-stack network; with
 * {@code --public-ip} pinned nothing moves.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AddressChangeIT {
  static final Path JAR =
      Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
  static final String DUAL =
      "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
          + "\"Backend\":{\"Type\":\"vxlan\"}}";

  @Test
  void anIpv4AddressChangeMovesTheNodeWithoutARestart() throws Exception {
    try (NetnsCluster cluster =
        new NetnsCluster(
            3, JAR, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      Map<Node, String> pods = boot(cluster, false);
      Node n1 = cluster.nodes().get(0);
      String key = leaseKey(n1);
      long pid = n1.agent().pid();
      double changed =
          pingAllWhile(pods, n1, () -> replace(n1, "198.18.0.11/24", "198.18.0.21/24"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(cluster.etcdctl("get", key, "--print-value-only"))
                      .contains("\"PublicIP\":\"198.18.0.21\""));
      assertThat(leaseKey(n1)).as("the same subnet").isEqualTo(key);
      assertThat(n1.agent().pid()).isEqualTo(pid);
      assertThat(n1.agent().isAlive()).isTrue();
      assertThat(n1.jflanctl("status").out())
          .contains("public IP 198.18.0.21", "198.18.0.11 -> 198.18.0.21 at ");
      assertThat(changed).isPositive();
    }
  }

  @Test
  void aPublicIpv6ChangeMovesADualStackNode() throws Exception {
    try (NetnsCluster cluster = new NetnsCluster(3, JAR, DUAL)) {
      DualStackContract.addIpv6Underlay(cluster);
      Map<Node, String> pods = boot(cluster, true);
      Node n1 = cluster.nodes().get(0);
      String key = leaseKey(n1);
      long pid = n1.agent().pid();
      String was = DualStackContract.address6(n1) + "/64";
      pingAllWhile(pods, n1, () -> replace(n1, was, DualStackContract.UNDERLAY6 + "21/64"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(cluster.etcdctl("get", key, "--print-value-only"))
                      .contains("\"PublicIPv6\":\"fd00:198:18::21\"")
                      .contains("\"PublicIP\":\"198.18.0.11\""));
      assertThat(n1.agent().pid()).isEqualTo(pid);
    }
  }

  @Test
  void aPinnedPublicIpDoesNotMove() throws Exception {
    try (NetnsCluster cluster =
        new NetnsCluster(
            2, JAR, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      Node n1 = cluster.nodes().get(0);
      n1.startAgent("--public-ip", "198.18.0.11");
      cluster.nodes().get(1).startAgent();
      n1.awaitSubnetEnv(60_000);
      cluster.nodes().get(1).awaitSubnetEnv(60_000);
      String key = leaseKey(n1);
      String before = cluster.etcdctl("get", key, "--print-value-only");
      replace(n1, "198.18.0.11/24", "198.18.0.21/24");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(n1.log()).contains("pin what this node advertises"));
      Thread.sleep(2000);
      assertThat(cluster.etcdctl("get", key, "--print-value-only")).isEqualTo(before);
      assertThat(n1.jflanctl("status").out()).doesNotContain("address moved");
      assertThat(n1.agent().isAlive()).isTrue();
    }
  }

  /** Starts every agent, one pod per node (with an IPv6 address when dual); pod ns -> address. */
  private static Map<Node, String> boot(NetnsCluster cluster, boolean dual) throws Exception {
    for (Node n : cluster.nodes()) {
      n.startAgent();
    }
    Map<Node, String> pods = new LinkedHashMap<>();
    for (Node n : cluster.nodes()) {
      String bip = n.awaitSubnet(60_000);
      String ip = n.addContainer(bip, 10);
      if (dual) {
        String bip6 = DualStackContract.env(n, "FLANNEL_IPV6_SUBNET");
        Cmd.in(n.ns(), "ip", "addr", "add", bip6, "dev", "cni0", "nodad");
        String gw6 = bip6.substring(0, bip6.indexOf('/'));
        ip = gw6.substring(0, gw6.length() - 1) + "a";
        String c = n.containers().get(0);
        Cmd.in(c, "ip", "addr", "add", ip + "/64", "dev", "eth0", "nodad");
        Cmd.in(c, "ip", "-6", "route", "add", "default", "via", gw6);
      }
      pods.put(n, ip);
    }
    for (Node a : cluster.nodes()) {
      for (Node b : cluster.nodes()) {
        if (a != b) {
          String to = pods.get(b);
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      Cmd.runIn(a.containers().get(0), 5, "ping", "-c", "1", "-W", "1", to).exit()
                          == 0);
        }
      }
    }
    return pods;
  }

  /**
   * Pings between the pods of every pair of nodes while {@code change} runs, for 8 s after it;
   * asserts nothing was lost later than 5 s after it. Returns when it ran (unix seconds).
   */
  private static double pingAllWhile(Map<Node, String> pods, Node moved, Runnable change)
      throws Exception {
    List<Pinger> pingers = new ArrayList<>();
    try {
      for (Node a : pods.keySet()) {
        for (Node b : pods.keySet()) {
          if (a != b) {
            pingers.add(Pinger.start(a.containers().get(0), pods.get(b)));
          }
        }
      }
      Thread.sleep(1000);
      double t0 = System.currentTimeMillis() / 1000.0;
      change.run();
      Thread.sleep(8000);
      double last = t0;
      int lost = 0;
      for (Pinger p : pingers) {
        Pinger.Result r = p.stop();
        lost += r.lost();
        last =
            Math.max(last, r.lostAt().stream().mapToDouble(Double::doubleValue).max().orElse(t0));
        assertThat(r.received()).as("%s", r).isPositive();
        assertThat(r.lostAt())
            .as("%s: every loss within 5 s of the change at %.3f; log:%n%s", r, t0, moved.tail())
            .allMatch(at -> at < t0 + 5);
      }
      System.out.printf(
          "address change: %d pings lost over %d pairs, the last %.2f s after the change%n",
          lost, pingers.size(), last - t0);
      return t0;
    } finally {
      pingers.forEach(Pinger::close);
    }
  }

  /**
   * The new address added, then the old one removed, as a DHCP client renews onto another (with
   * promote_secondaries on, as systemd sets it: otherwise the kernel removes the new address of the
   * same network with the old primary one).
   */
  private static void replace(Node n, String old, String fresh) {
    if (fresh.contains(":")) {
      Cmd.in(n.ns(), "ip", "addr", "add", fresh, "dev", "eth0", "nodad");
    } else {
      Cmd.in(n.ns(), "sysctl", "-qw", "net.ipv4.conf.eth0.promote_secondaries=1");
      Cmd.in(n.ns(), "ip", "addr", "add", fresh, "dev", "eth0");
    }
    Cmd.in(n.ns(), "ip", "addr", "del", old, "dev", "eth0");
  }

  /** The node's lease key, from its subnet.env (both subnets in a dual-stack network). */
  private static String leaseKey(Node n) throws Exception {
    String s = DualStackContract.env(n, "FLANNEL_SUBNET").replace(".1/24", ".0-24");
    String env = Files.readString(n.subnetFile());
    if (env.contains("FLANNEL_IPV6_SUBNET=")) {
      s += "&" + DualStackContract.env(n, "FLANNEL_IPV6_SUBNET").replace("::1/64", "::-64");
    }
    return "/coreos.com/network/subnets/" + s;
  }
}
