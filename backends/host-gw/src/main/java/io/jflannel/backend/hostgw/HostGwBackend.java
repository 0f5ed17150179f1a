package io.jflannel.backend.hostgw;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.netlink.Route;

/** Routes to each peer's subnet via the peer's PublicIP on the external interface. */
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
    if (!ctx.ext().publicIp().equals(ctx.ext().address())) {
      throw new IllegalStateException(
          "host-gw needs PublicIP "
              + ctx.ext().publicIp()
              + " to be an address of "
              + ctx.ext().link().name()
              + " ("
              + ctx.ext().address()
              + "): NAT between nodes is not supported");
    }
    return LeaseAttrs.of(ctx.ext().publicIp(), "host-gw", null);
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
  public PeerObjects objectsFor(Lease peer) {
    if (!ctx.ext().network().contains(peer.attrs().publicIp())) {
      throw new IllegalArgumentException(
          "PublicIP "
              + peer.attrs().publicIp()
              + " is not on this node's network "
              + ctx.ext().network()
              + " (host-gw needs every node on one L2 network)");
    }
    return PeerObjects.route(
        Route.via(peer.subnet(), peer.attrs().publicIp(), ctx.ext().link().index(), false));
  }
}
