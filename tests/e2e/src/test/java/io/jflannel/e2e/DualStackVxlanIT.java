package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * vxlan in a dual-stack network, in the nftables mode: flannel-v6.1 over the IPv6 underlay, and the
 * rules in flanneld's tables {@code ip flannel-ipv4} and {@code ip6 flannel-ipv6}.
 */
class DualStackVxlanIT extends DualStackContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"vxlan\"}", ",\"EnableNFTables\":true");
  }

  @Override
  void assertIpv6PeerProgrammed(Node on, String peerSubnet6, Node peer) {
    Ipv6Peers.assertVxlan(on, peerSubnet6, peer);
  }

  @Override
  void assertFirewall(Node on) {
    String rules = Cmd.in(on.ns(), "nft", "list", "table", "ip6", "flannel-ipv6");
    assertThat(rules).contains("ip6 saddr fc00::/48 ip6 daddr != ff00::/8 masquerade");
    assertThat(rules).contains("ip6 saddr fc00::/48 accept");
    assertThat(Cmd.in(on.ns(), "nft", "list", "table", "ip", "flannel-ipv4"))
        .contains("ip saddr 10.244.0.0/16");
    assertThat(Cmd.in(on.ns(), "ip6tables-save")).doesNotContain("FLANNEL");
  }

  @Test
  @Order(6)
  void theIpv6DeviceIsFlanneldsAndComesBackWhenDeleted() {
    Node on = cluster.nodes().get(2);
    String link = Cmd.in(on.ns(), "ip", "-d", "link", "show", "flannel-v6.1");
    assertThat(link)
        .contains("vxlan id 1")
        .contains("local " + address6(on))
        .contains("dstport 8472");
    Cmd.in(on.ns(), "ip", "link", "del", "flannel-v6.1");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(unreachable(v6)).isEmpty());
  }
}
