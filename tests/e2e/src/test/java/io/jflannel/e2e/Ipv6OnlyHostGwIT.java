package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import org.junit.jupiter.api.BeforeAll;

/** host-gw in an IPv6-only network, iptables mode (ip6tables FORWARD policy DROP). */
class Ipv6OnlyHostGwIT extends Ipv6OnlyContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"host-gw\"}", "");
  }

  @Override
  void assertPeerProgrammed(Node on, String peerSubnet6, Node peer) {
    assertThat(Cmd.in(on.ns(), "ip", "-6", "route", "show", peerSubnet6))
        .contains(peerSubnet6 + " via " + DualStackContract.address6(peer) + " dev eth0 proto 121");
  }

  @Override
  void assertFirewall(Node on) {
    assertThat(Cmd.in(on.ns(), "ip6tables-save", "-t", "nat"))
        .contains("-A FLANNEL-POSTRTG -s fc00::/48 ! -d ff00::/8");
    assertThat(Cmd.in(on.ns(), "ip6tables-save", "-t", "filter"))
        .contains("-A FLANNEL-FWD -s fc00::/48");
    assertThat(Cmd.in(on.ns(), "iptables-save")).doesNotContain("FLANNEL");
  }
}
