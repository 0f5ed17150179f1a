package io.jflannel.backend.vxlan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.Device;
import io.jflannel.backend.DeviceAddress;
import io.jflannel.backend.Drift;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.LinkSpec;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.VxlanInfo;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The vxlan backend (design notes in package-info). */
final class VxlanBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(VxlanBackend.class);
  static final int OVERHEAD = 50;

  private final BackendContext ctx;
  private final Netlink nl;
  private final int vni;
  private final int port;
  private final boolean directRouting;
  private final boolean learning;
  private final boolean gbp;
  private final String name;
  private volatile Link device;
  private MacAddress mac;
  private volatile Ipv4Net ownSubnet;

  VxlanBackend(BackendContext ctx) {
    this.ctx = ctx;
    this.nl = ctx.netlink();
    this.vni = ctx.config().backend().vni();
    this.port = ctx.config().backend().port();
    this.directRouting = ctx.config().backend().boolOption("DirectRouting", false);
    this.learning = ctx.config().backend().boolOption("Learning", false);
    this.gbp = ctx.config().backend().boolOption("GBP", false);
    this.name = "flannel." + vni;
  }

  @Override
  public String type() {
    return "vxlan";
  }

  /**
   * The device's (and the pods') MTU: flanneld's {@code MTU} option is the MTU of the packets
   * leaving the node (default: the external interface's), less the 50 bytes VXLAN adds.
   */
  @Override
  public int mtu() {
    int outer = ctx.config().backend().intOption("MTU", 0);
    return (outer == 0 ? ctx.ext().link().mtu() : outer) - OVERHEAD;
  }

  private VxlanInfo wantInfo() {
    return new VxlanInfo(vni, ctx.ext().address(), port, ctx.ext().link().index(), learning, gbp);
  }

  @Override
  public LeaseAttrs prepare() {
    VxlanInfo want = wantInfo();
    Link existing = nl.link(name).orElse(null);
    mac = VtepMacStore.load(ctx.stateDir(), name, existing);
    if (existing != null && !want.equals(existing.vxlan())) {
      LOG.warn(
          "{} exists but differs (have {}, want {}): recreating it", name, existing.vxlan(), want);
      nl.deleteLink(existing.index());
      existing = null;
    }
    if (existing == null) {
      existing = create();
    } else {
      if (!mac.equals(existing.mac())) {
        nl.setMac(existing.index(), mac);
      }
      if (existing.mtu() != mtu()) {
        nl.setMtu(existing.index(), mtu());
      }
      LOG.info("adopted existing {} (mac {})", name, mac);
    }
    VtepMacStore.save(ctx.stateDir(), name, mac);
    device = existing;
    JsonNode data =
        JsonNodeFactory.instance.objectNode().put("VNI", vni).put("VtepMAC", mac.toString());
    return LeaseAttrs.of(ctx.ext().publicIp(), "vxlan", data);
  }

  private Link create() {
    VxlanInfo want = wantInfo();
    Link l = nl.createLink(LinkSpec.vxlan(name, want, mtu(), mac));
    LOG.info(
        "created {} (vni {}, port {}, local {}, dev {}, mac {})",
        name,
        vni,
        port,
        want.local(),
        ctx.ext().link().name(),
        mac);
    return l;
  }

  @Override
  public List<Device> devices() {
    return device == null
        ? List.of()
        : List.of(new Device(name, "vxlan", mtu(), true, mac, wantInfo()));
  }

  @Override
  public void repairDevice(Drift d) {
    Device want = (Device) d.want();
    Device have = (Device) d.have();
    Link now = nl.link(name).orElse(null);
    if (now == null || have == null || !have.adjustableTo(want)) {
      if (now != null) {
        nl.deleteLink(now.index());
      }
      now = create();
    } else {
      if (now.mtu() != want.mtu()) {
        nl.setMtu(now.index(), want.mtu());
      }
      if (!mac.equals(now.mac())) {
        nl.setMac(now.index(), mac);
      }
    }
    if (want.up() && !now.isUp()) {
      nl.setUp(now.index(), true);
    }
    device = nl.link(name).orElse(now);
  }

  @Override
  public void start(Lease own) {
    DeviceAddress.assign(nl, device.index(), own.subnet());
    ownSubnet = own.subnet();
  }

  @Override
  public List<Address> deviceAddresses() {
    return DeviceAddress.of(device == null ? 0 : device.index(), ownSubnet);
  }

  @Override
  public int deviceIndex() {
    return device == null ? 0 : device.index();
  }

  @Override
  public PeerObjects objectsFor(Lease peer) {
    if (directRouting && ctx.ext().network().contains(peer.attrs().publicIp())) {
      return PeerObjects.route(
          Route.via(peer.subnet(), peer.attrs().publicIp(), ctx.ext().link().index(), false));
    }
    MacAddress peerMac = VtepCheck.peerMac(peer, vni, mac);
    var gw = peer.subnet().address();
    return new PeerObjects(
        List.of(Neighbour.permanent(device.index(), gw, peerMac)),
        List.of(new FdbEntry(device.index(), peerMac, peer.attrs().publicIp())),
        List.of(Route.via(peer.subnet(), gw, device.index(), true)));
  }
}
