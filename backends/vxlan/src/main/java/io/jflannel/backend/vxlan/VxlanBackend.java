package io.jflannel.backend.vxlan;

import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BadLeaseException;
import io.jflannel.backend.Device;
import io.jflannel.backend.Drift;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.IpAddress;
import io.jflannel.net.IpNet;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.VxlanInfo;
import java.util.ArrayList;
import java.util.List;

/** The vxlan backend (design notes in package-info). */
final class VxlanBackend implements Backend {
  static final int OVERHEAD = 50;

  /** What VXLAN over IPv6 adds: 40 bytes of IPv6 header instead of IPv4's 20. */
  static final int OVERHEAD_V6 = 70;

  private final BackendContext ctx;
  private final int vni;
  private final boolean directRouting;
  private final VtepDevice v4; // null in an IPv6-only network
  private final VtepDevice v6; // null unless the network has IPv6

  VxlanBackend(BackendContext ctx) {
    this.ctx = ctx;
    this.vni = VxlanBackendFactory.vni(ctx.config());
    this.directRouting = ctx.config().backend().boolOption("DirectRouting", false);
    int port = VxlanBackendFactory.port(ctx.config());
    boolean learning = ctx.config().backend().boolOption("Learning", false);
    boolean gbp = ctx.config().backend().boolOption("GBP", false);
    int under = ctx.ext().link().index();
    String dev = ctx.ext().link().name();
    this.v4 =
        ctx.config().ipv4()
            ? new VtepDevice(
                ctx.netlink(),
                "flannel." + vni,
                new VxlanInfo(vni, ctx.ext().address(), port, under, learning, gbp),
                outerMtu() - OVERHEAD,
                dev)
            : null;
    this.v6 =
        ctx.config().dualStack()
            ? new VtepDevice(
                ctx.netlink(),
                "flannel-v6." + vni,
                new VxlanInfo(vni, ctx.ext().address6(), port, under, learning, gbp),
                outerMtu() - OVERHEAD_V6,
                dev)
            : null;
  }

  @Override
  public String type() {
    return "vxlan";
  }

  /** flanneld's {@code MTU} option: the MTU of the packets leaving the node. */
  private int outerMtu() {
    int outer = ctx.config().backend().intOption("MTU", 0);
    return outer == 0 ? ctx.ext().link().mtu() : outer;
  }

  /**
   * The device's (and the pods') MTU: flanneld's {@code MTU} option is the MTU of the packets
   * leaving the node (default: the external interface's), less the 50 bytes VXLAN adds; in an
   * IPv6-only network less the 70 bytes VXLAN over IPv6 adds (flanneld writes ext−50 there too, and
   * the pods' full-size packets would not fit flannel-v6's MTU).
   */
  @Override
  public int mtu() {
    return outerMtu() - (v4 == null ? OVERHEAD_V6 : OVERHEAD);
  }

  @Override
  public LeaseAttrs prepare() {
    if (v6 != null) {
      ctx.ext().requirePublicIpv6();
      if (ctx.ext().address6() == null) {
        throw new IllegalStateException(
            ctx.ext().link().name() + " has no global IPv6 address for flannel-v6." + vni);
      }
    }
    if (v4 != null) {
      v4.prepare(ctx.stateDir());
    }
    LeaseAttrs attrs =
        LeaseAttrs.of(ctx.leasePublicIp(), "vxlan", v4 == null ? null : data(v4.mac()));
    if (v6 == null) {
      return attrs;
    }
    v6.prepare(ctx.stateDir());
    return attrs.withIpv6(ctx.ext().publicIpv6(), data(v6.mac()));
  }

  private JrsValue data(MacAddress mac) {
    return Json.object("VNI", vni, "VtepMAC", mac.toString());
  }

  @Override
  public List<Device> devices() {
    List<Device> out = new ArrayList<>(2);
    for (VtepDevice d : vteps()) {
      out.addAll(d.devices());
    }
    return out;
  }

  @Override
  public void repairDevice(Drift d) {
    String name = ((Device) d.want()).name();
    (v6 != null && name.equals(v6.name()) ? v6 : v4).repair(d);
  }

  /** The devices of the enabled families, IPv4's first. */
  private List<VtepDevice> vteps() {
    List<VtepDevice> out = new ArrayList<>(2);
    if (v4 != null) {
      out.add(v4);
    }
    if (v6 != null) {
      out.add(v6);
    }
    return out;
  }

  @Override
  public void start(Lease own) {
    if (v4 != null) {
      v4.start(own.subnet());
    }
    if (v6 != null) {
      v6.start(own.ipv6Subnet());
    }
  }

  @Override
  public List<Address> deviceAddresses() {
    List<Address> out = new ArrayList<>(2);
    for (VtepDevice d : vteps()) {
      out.addAll(d.addresses());
    }
    return out;
  }

  @Override
  public int deviceIndex() {
    return v4 == null ? 0 : v4.index();
  }

  @Override
  public int ipv6DeviceIndex() {
    return v6 == null ? 0 : v6.index();
  }

  @Override
  public PeerObjects objectsFor(Lease peer) throws BadLeaseException {
    PeerObjects four;
    if (v4 == null || peer.subnet() == null) {
      four = PeerObjects.NONE;
    } else if (directRouting && ctx.ext().network().contains(peer.attrs().publicIp())) {
      four =
          PeerObjects.route(
              Route.via(peer.subnet(), peer.attrs().publicIp(), ctx.ext().link().index(), false));
    } else {
      four = overlay(v4, peer, VtepCheck.peerMac(peer, vni, v4.mac()), peer.attrs().publicIp());
    }
    if (v6 == null || peer.ipv6Subnet() == null) {
      return four;
    }
    Ipv6Address vtep6 = peer.attrs().publicIpv6Address();
    Ipv6Net onLink6 = ctx.ext().network6();
    if (directRouting && onLink6 != null && onLink6.contains(vtep6)) {
      return four.plus(
          PeerObjects.route(Route.via(peer.ipv6Subnet(), vtep6, ctx.ext().link().index(), false)));
    }
    MacAddress mac6 =
        VtepCheck.peerMac(peer.attrs().backendV6Data(), "BackendV6Data", vni, v6.mac());
    return four.plus(overlay(v6, peer, mac6, vtep6));
  }

  /** Neighbour, FDB entry and route of one family's device toward one peer. */
  private static PeerObjects overlay(VtepDevice dev, Lease peer, MacAddress mac, IpAddress vtep) {
    int index = dev.index();
    IpNet subnet = vtep.isIpv6() ? peer.ipv6Subnet() : peer.subnet();
    return new PeerObjects(
        List.of(Neighbour.permanent(index, subnet.address(), mac)),
        List.of(new FdbEntry(index, mac, vtep)),
        List.of(Route.via(subnet, subnet.address(), index, true)));
  }
}
