package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * vxlan in an IPv6-only network, nftables mode: flanneld's flannel-v6.1 alone (no flannel.1), its
 * MTU the underlay's less VXLAN over IPv6's 70 bytes, the rules in {@code ip6 flannel-ipv6} alone.
 */
class Ipv6OnlyVxlanIT extends Ipv6OnlyContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"vxlan\"}", ",\"EnableNFTables\":true");
  }

  @Override
  void assertPeerProgrammed(Node on, String peerSubnet6, Node peer) {
    Ipv6Peers.assertVxlan(on, peerSubnet6, peer);
  }

  @Override
  void assertFirewall(Node on) {
    String rules = Cmd.in(on.ns(), "nft", "list", "ruleset");
    assertThat(rules).contains("table ip6 flannel-ipv6");
    assertThat(rules).contains("ip6 saddr fc00::/48 ip6 daddr != ff00::/8 masquerade");
    assertThat(rules).doesNotContain("table ip flannel-ipv4");
    assertThat(Cmd.in(on.ns(), "ip6tables-save")).doesNotContain("FLANNEL");
  }

  @Test
  @Order(6)
  void onlyTheIpv6DeviceExistsWithTheMtuSubnetEnvGives() throws Exception {
    for (Node n : cluster.nodes()) {
      assertThat(
              Cmd.run(java.util.List.of("ip", "-n", n.ns(), "link", "show", "flannel.1"), 10)
                  .exit())
          .as("no IPv4 VTEP in an IPv6-only network")
          .isNotZero();
      String link = Cmd.in(n.ns(), "ip", "-d", "link", "show", "flannel-v6.1");
      assertThat(link).contains("local " + DualStackContract.address6(n)).contains("mtu 1430");
      assertThat(DualStackContract.env(n, "FLANNEL_MTU")).isEqualTo("1430");
    }
  }

  @Test
  @Order(7)
  void ipv6NeighbourAndFdbEntryDeletedByHandComeBack() throws Exception {
    Node on = cluster.nodes().get(1);
    Node peer = cluster.nodes().get(2);
    String s6 = subnet6(peer);
    String gw = s6.substring(0, s6.indexOf('/'));
    String fdb = Cmd.in(on.ns(), "bridge", "fdb", "show", "dev", "flannel-v6.1");
    String mac =
        fdb.lines()
            .filter(l -> l.contains("dst " + DualStackContract.address6(peer) + " "))
            .findFirst()
            .orElseThrow()
            .split(" ")[0];
    long before = repairs(on);
    Cmd.in(on.ns(), "ip", "-6", "neigh", "del", gw, "dev", "flannel-v6.1");
    Cmd.in(on.ns(), "bridge", "fdb", "del", mac, "dev", "flannel-v6.1");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertPeerProgrammed(on, s6, peer);
              assertThat(repairs(on)).as("repairs since start").isGreaterThanOrEqualTo(before + 2);
            });
    assertThat(unreachable()).isEmpty();
  }

  @Test
  @Order(8)
  void theIpv6TableDeletedByHandComesBack() {
    Node n = cluster.nodes().get(0);
    Cmd.in(n.ns(), "nft", "delete", "table", "ip6", "flannel-ipv6");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .untilAsserted(() -> assertFirewall(n));
  }

  @Test
  @Order(100)
  void switchingTheModeOffLeavesNoTableAndWritesIp6tablesRulesOnly() throws Exception {
    cluster.etcdctl(
        "put",
        cluster.etcdPrefix() + "/config",
        "{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
            + "\"Backend\":{\"Type\":\"vxlan\"}}");
    Node n = cluster.nodes().get(1);
    n.stopAgent(false);
    n.startAgent("--iface", DualStackContract.address6(n), "--cni-bridge", "jfcni0");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Cmd.in(n.ns(), "ip6tables-save", "-t", "nat"))
                    .as("agent log:%n%s", n.tail())
                    .contains("-A FLANNEL-POSTRTG -s fc00::/48 ! -d ff00::/8"));
    assertThat(Cmd.in(n.ns(), "nft", "list", "tables")).doesNotContain("flannel-ipv6");
    assertThat(Cmd.in(n.ns(), "iptables-save")).doesNotContain("FLANNEL");
    assertThat(unreachable()).isEmpty();
  }

  /** The agent's count of kernel objects repaired since it started ({@code jflanctl status}). */
  private static long repairs(Node n) {
    String status = n.jflanctl("status").out();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\((\\d+) since start\\)").matcher(status);
    assertThat(m.find()).as(status).isTrue();
    return Long.parseLong(m.group(1));
  }
}
