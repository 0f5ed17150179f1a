package io.jflannel.backend.hostgw;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BadLeaseException;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.Ipv6Address;
import io.jflannel.netlink.Route;

/**
 * Routes to each peer's subnet via the peer's PublicIP on the external interface; in a dual-stack
 * network also to its IPv6 subnet via its PublicIPv6.
 */
final class HostGwBackend implements Backend {
  private final BackendContext ctx;

  HostGwBackend(BackendContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public String type() {
    return "host-gw";
  }

  @Override
  public LeaseAttrs prepare() {
    if (ctx.config().ipv4() && !ctx.ext().publicIp().equals(ctx.ext().address())) {
      throw new IllegalStateException(
          "host-gw needs PublicIP "
              + ctx.ext().publicIp()
              + " to be an address of "
              + ctx.ext().link().name()
              + " ("
              + ctx.ext().address()
              + "): NAT between nodes is not supported");
    }
    LeaseAttrs attrs = LeaseAttrs.of(ctx.leasePublicIp(), "host-gw", null);
    if (!ctx.config().dualStack()) {
      return attrs;
    }
    Ipv6Address v6 = ctx.ext().requirePublicIpv6();
    if (!v6.equals(ctx.ext().address6())) {
      throw new IllegalStateException(
          "host-gw needs PublicIPv6 "
              + v6
              + " to be an address of "
              + ctx.ext().link().name()
              + " ("
              + ctx.ext().address6()
              + ")");
    }
    return attrs.withIpv6(v6, null);
  }

  @Override
  public void start(Lease own) {}

  @Override
  public int mtu() {
    return ctx.ext().link().mtu();
  }

  @Override
  public int deviceIndex() {
    return 0;
  }

  @Override
  public PeerObjects objectsFor(Lease peer) throws BadLeaseException {
    int dev = ctx.ext().link().index();
    PeerObjects v6 =
        ctx.config().dualStack() && peer.ipv6Subnet() != null
            ? PeerObjects.route(
                Route.via(peer.ipv6Subnet(), peer.attrs().publicIpv6Address(), dev, false))
            : PeerObjects.NONE;
    if (!ctx.config().ipv4()) {
      return v6;
    }
    if (!ctx.ext().network().contains(peer.attrs().publicIp())) {
      throw new BadLeaseException(
          "PublicIP "
              + peer.attrs().publicIp()
              + " is not on this node's network "
              + ctx.ext().network()
              + " (host-gw needs every node on one L2 network)");
    }
    return PeerObjects.route(Route.via(peer.subnet(), peer.attrs().publicIp(), dev, false))
        .plus(v6);
  }
}
