package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** host-gw in an IPv6-only network, iptables mode (ip6tables FORWARD policy DROP). */
class Ipv6OnlyHostGwIT extends Ipv6OnlyContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"host-gw\"}", "");
  }

  @Override
  void assertPeerProgrammed(Node on, String peerSubnet6, Node peer) {
    Ipv6Peers.assertHostGw(on, peerSubnet6, peer);
  }

  @Override
  void assertFirewall(Node on) {
    assertThat(Cmd.in(on.ns(), "ip6tables-save", "-t", "nat"))
        .contains("-A FLANNEL-POSTRTG -s fc00::/48 ! -d ff00::/8");
    assertThat(Cmd.in(on.ns(), "ip6tables-save", "-t", "filter"))
        .contains("-A FLANNEL-FWD -s fc00::/48");
    assertThat(Cmd.in(on.ns(), "iptables-save")).doesNotContain("FLANNEL");
  }

  @Test
  @Order(6)
  void aLeaseWrittenByHandInFlanneldsFormIsProgrammedAndUnprogrammed() {
    String key = cluster.etcdPrefix() + "/subnets/0.0.0.0-0&fc00:0:0:77::-64";
    cluster.etcdctl(
        "put",
        key,
        "{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"fd00:198:18::77\","
            + "\"BackendType\":\"host-gw\"}");
    awaitRouteOnEveryNode(true);
    cluster.etcdctl("del", key);
    awaitRouteOnEveryNode(false);
  }

  /**
   * Waits until every node has the route to fc00:0:0:77::/64 via the lease's PublicIPv6, or not.
   */
  private static void awaitRouteOnEveryNode(boolean present) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (Node n : cluster.nodes()) {
                String r = Cmd.in(n.ns(), "ip", "-6", "route", "show", "fc00:0:0:77::/64");
                if (present) {
                  assertThat(r).contains("fc00:0:0:77::/64 via fd00:198:18::77 dev eth0 proto 121");
                } else {
                  assertThat(r).as(n.ns()).isBlank();
                }
              }
            });
  }
}
