package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;

/** What each backend programs on a node toward a peer's IPv6 subnet, as {@code ip} shows it. */
final class Ipv6Peers {
  private Ipv6Peers() {}

  /** host-gw: a route via the peer's PublicIPv6 on the underlay. */
  static void assertHostGw(Node on, String peerSubnet6, Node peer) {
    assertThat(Cmd.in(on.ns(), "ip", "-6", "route", "show", peerSubnet6))
        .contains(peerSubnet6 + " via " + DualStackContract.address6(peer) + " dev eth0 proto 121");
  }

  /** vxlan: onlink route, permanent neighbour and FDB entry toward the peer's PublicIPv6. */
  static void assertVxlan(Node on, String peerSubnet6, Node peer) {
    String gw = peerSubnet6.substring(0, peerSubnet6.indexOf('/'));
    assertThat(Cmd.in(on.ns(), "ip", "-6", "route", "show", peerSubnet6))
        .contains(peerSubnet6 + " via " + gw + " dev flannel-v6.1 proto 121")
        .contains("onlink");
    assertThat(Cmd.in(on.ns(), "ip", "-6", "neigh", "show", "dev", "flannel-v6.1"))
        .contains(gw + " lladdr")
        .contains("PERMANENT");
    assertThat(Cmd.in(on.ns(), "bridge", "fdb", "show", "dev", "flannel-v6.1"))
        .contains("dst " + DualStackContract.address6(peer) + " self permanent");
  }
}
