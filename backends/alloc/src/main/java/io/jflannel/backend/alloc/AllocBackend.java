package io.jflannel.backend.alloc;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;

/** A lease and subnet.env, nothing in the kernel (design notes in package-info). */
final class AllocBackend implements Backend {
  private final BackendContext ctx;

  AllocBackend(BackendContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public String type() {
    return "alloc";
  }

  @Override
  public LeaseAttrs prepare() {
    // as flanneld's alloc: no BackendType; with IPv6 the node's PublicIPv6 too, which is what
    // names an IPv6-only node's lease (its PublicIP is 0.0.0.0)
    LeaseAttrs attrs = LeaseAttrs.of(ctx.leasePublicIp(), null, null);
    return ctx.config().dualStack() ? attrs.withIpv6(ctx.ext().requirePublicIpv6(), null) : attrs;
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
    return PeerObjects.NONE;
  }
}
