package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The udp backend across three nodes: a persistent TUN flannel0, one cluster route, peers in the
 * agent's own table. The data path lives in the agent, so a kill -9 costs the packets in flight
 * while it restarts (the kernel backends lose none).
 */
class UdpIT extends ClusterConnectivityContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"udp\"}");
  }

  @Override
  int expectedMtu() {
    return 1472;
  }

  @Override
  void assertPeerProgrammed(Node on, String peerIp, String base, String vtepMac) {
    assertThat(Cmd.in(on.ns(), "ip", "-d", "link", "show", "flannel0"))
        .contains("mtu 1472", "tun type tun pi off vnet_hdr on persist on");
    assertThat(Cmd.in(on.ns(), "ip", "addr", "show", "flannel0"))
        .containsPattern("inet 10\\.244\\.\\d+\\.0/32");
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", "10.244.0.0/16"))
        .contains("10.244.0.0/16 dev flannel0 proto 121 scope link");
    boolean realNode = cluster.nodes().stream().anyMatch(n -> n.address().equals(peerIp));
    Cmd.Result r =
        Cmd.runIn(
            on.ns(),
            10,
            "ping",
            "-c",
            "1",
            "-W",
            "1",
            realNode ? base : base.replaceAll("\\.0$", ".5"));
    if (realNode) {
      assertThat(r.exit()).as("the peer's flannel0 answers through the tunnel: " + r).isZero();
    } else {
      assertThat(r.out())
          .as("known to the table: no net unreachable")
          .doesNotContain("Unreachable");
    }
  }

  @Override
  String newNodeLease(String publicIp) {
    return "{\"PublicIP\":\"" + publicIp + "\",\"PublicIPv6\":null,\"BackendType\":\"udp\"}";
  }

  @Override
  void assertPeerGone(Node on, String base) {
    assertNetUnreachable(on.ns(), base.replaceAll("\\.0$", ".10"));
  }

  static void assertNetUnreachable(String ns, String ip) {
    Cmd.Result r = Cmd.runIn(ns, 10, "ping", "-c", "1", "-W", "2", ip);
    assertThat(r.out()).contains("Destination Net Unreachable");
  }

  @Override
  String routeToDeleteByHand() {
    return "10.244.0.0/16";
  }

  @Override
  void assertBackendMetrics(String m) {
    assertThat(m).contains("jflannel_udp_peers 2.0");
    assertThat(metric(m, "jflannel_udp_packets_total{direction=\"out\"}")).isPositive();
    assertThat(metric(m, "jflannel_udp_packets_total{direction=\"in\"}")).isPositive();
  }

  /**
   * At 50 pps a restart (JVM start, TUN re-attached, peers known: about two seconds here) costs the
   * packets sent while no agent is attached; bounded at four seconds' worth, and the last hundred
   * must all have come back (the path is whole again).
   */
  @Override
  void assertLossAcrossRestart(String what, String out) {
    Matcher m = Pattern.compile("400 packets transmitted, (\\d+) received").matcher(out);
    assertThat(m.find()).as(what + ": " + out).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as(what + ": " + out).isGreaterThanOrEqualTo(200);
    for (int seq = 301; seq <= 400; seq++) {
      assertThat(out).as(what + ": reply " + seq).contains("icmp_seq=" + seq + " ttl=");
    }
  }

  static double metric(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst()
        .orElse(-1);
  }

  @Test
  @Order(6)
  void tcpLeftTheKernelAsSuperPacketsAndWasSegmentedOnce() {
    // after the 4 MB transfer of order 5: far fewer TUN reads than packets sent
    String m = curl(cluster.nodes().get(0), "/metrics") + curl(cluster.nodes().get(1), "/metrics");
    List<Double> reads = new ArrayList<>();
    List<Double> out = new ArrayList<>();
    for (Node n : cluster.nodes().subList(0, 2)) {
      String mm = curl(n, "/metrics");
      reads.add(metric(mm, "jflannel_udp_tun_io_total{op=\"read\"}"));
      out.add(metric(mm, "jflannel_udp_packets_total{direction=\"out\"}"));
    }
    double r = reads.get(0) + reads.get(1);
    double o = out.get(0) + out.get(1);
    assertThat(m)
        .contains(
            "jflannel_udp_drops_total{reason=\"malformed\"} 0.0",
            "jflannel_udp_drops_total{reason=\"not_ipv4\"} 0.0");
    assertThat(o / r).as("packets per TUN read (%s reads, %s packets)", r, o).isGreaterThan(2.0);
  }

  @Test
  @Order(3)
  void anUnknownSubnetGetsNetUnreachableAtOnce() {
    String c = containerIps.keySet().iterator().next();
    assertNetUnreachable(c, "10.244.251.9");
  }
}
