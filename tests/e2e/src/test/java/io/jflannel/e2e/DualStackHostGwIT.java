package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import org.junit.jupiter.api.BeforeAll;

/** host-gw in a dual-stack network: IPv6 routes via each peer's PublicIPv6. */
class DualStackHostGwIT extends DualStackContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"host-gw\"}", "");
  }

  @Override
  void assertIpv6PeerProgrammed(Node on, String peerSubnet6, Node peer) {
    assertThat(Cmd.in(on.ns(), "ip", "-6", "route", "show", peerSubnet6))
        .contains(peerSubnet6 + " via " + address6(peer) + " dev eth0 proto 121");
  }
}
