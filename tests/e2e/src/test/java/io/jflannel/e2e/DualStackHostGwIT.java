package io.jflannel.e2e;

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
    Ipv6Peers.assertHostGw(on, peerSubnet6, peer);
  }
}
