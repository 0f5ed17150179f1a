package io.jflannel.backend.vxlan;

import io.jflannel.backend.Device;
import io.jflannel.backend.DeviceAddress;
import io.jflannel.backend.Drift;
import io.jflannel.net.IpNet;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.LinkSpec;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.VxlanInfo;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VXLAN device of the backend: {@code flannel.<vni>} over IPv4, or {@code flannel-v6.<vni>}
 * over IPv6 in a dual-stack network. Created or adopted with a MAC kept stable in the state dir,
 * repaired when deleted or changed, addressed with our subnet's first address.
 */
final class VtepDevice {
  private static final Logger LOG = LoggerFactory.getLogger(VtepDevice.class);

  private final Netlink nl;
  private final String name;
  private final VxlanInfo want;
  private final int mtu;
  private final String underlay;
  private volatile Link link;
  private MacAddress mac;
  private volatile IpNet own;

  VtepDevice(Netlink nl, String name, VxlanInfo want, int mtu, String underlay) {
    this.nl = nl;
    this.name = name;
    this.want = want;
    this.mtu = mtu;
    this.underlay = underlay;
  }

  /** Creates the device, or adopts an existing one (recreated when its VXLAN settings differ). */
  void prepare(Path stateDir) {
    Link existing = nl.link(name).orElse(null);
    mac = VtepMacStore.load(stateDir, name, existing);
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
      if (existing.mtu() != mtu) {
        nl.setMtu(existing.index(), mtu);
      }
      LOG.info("adopted existing {} (mac {})", name, mac);
    }
    VtepMacStore.save(stateDir, name, mac);
    link = existing;
  }

  private Link create() {
    Link l = nl.createLink(LinkSpec.vxlan(name, want, mtu, mac));
    LOG.info(
        "created {} (vni {}, port {}, local {}, dev {}, mac {}, mtu {})",
        name,
        want.vni(),
        want.port(),
        want.local(),
        underlay,
        mac,
        mtu);
    return l;
  }

  /** Gives the device our subnet's first address and brings it up. */
  void start(IpNet ownSubnet) {
    DeviceAddress.assign(nl, link.index(), ownSubnet);
    own = ownSubnet;
  }

  String name() {
    return name;
  }

  MacAddress mac() {
    return mac;
  }

  int index() {
    Link l = link;
    return l == null ? 0 : l.index();
  }

  /** The device as wanted, or none before it exists. */
  List<Device> devices() {
    return link == null ? List.of() : List.of(new Device(name, "vxlan", mtu, true, mac, want));
  }

  List<Address> addresses() {
    return DeviceAddress.of(index(), own);
  }

  /** Puts the device back as wanted: settings adjusted in place, or recreated. */
  void repair(Drift d) {
    Device wantDev = (Device) d.want();
    Device have = (Device) d.have();
    Link now = nl.link(name).orElse(null);
    if (now == null || have == null || !have.adjustableTo(wantDev)) {
      if (now != null) {
        nl.deleteLink(now.index());
      }
      now = create();
    } else {
      if (now.mtu() != wantDev.mtu()) {
        nl.setMtu(now.index(), wantDev.mtu());
      }
      if (!mac.equals(now.mac())) {
        nl.setMac(now.index(), mac);
      }
    }
    if (wantDev.up() && !now.isUp()) {
      nl.setUp(now.index(), true);
    }
    link = nl.link(name).orElse(now);
  }
}
