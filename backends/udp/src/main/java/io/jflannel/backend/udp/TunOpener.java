package io.jflannel.backend.udp;

import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.NetlinkException;
import io.jflannel.netlink.TunDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens (or re-attaches to) the persistent TUN device, with offloads when asked and available:
 * IFF_VNET_HDR plus TUNSETOFFLOAD(CSUM | TSO4). Falls back to plain per-packet mode, saying why. A
 * link of that name that is not a TUN device we can attach to is replaced.
 */
final class TunOpener {
  private static final Logger LOG = LoggerFactory.getLogger(TunOpener.class);
  private static final int EBUSY = 16;

  private TunOpener() {}

  /** The opened device; {@code why} receives the reason when offloads were wanted but are off. */
  static TunDevice open(Netlink nl, String name, boolean offloads, StringBuilder why) {
    if (offloads) {
      TunDevice tun = attach(nl, name, TunDevice.IFF_VNET_HDR);
      try {
        tun.setOffload(TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4);
        return tun;
      } catch (NetlinkException e) {
        tun.close();
        why.append("TUNSETOFFLOAD refused: ").append(e.getMessage());
      }
    } else {
      why.append("Backend.Offloads is false");
    }
    TunDevice tun = attach(nl, name, 0);
    try {
      tun.setOffload(0);
    } catch (NetlinkException e) {
      LOG.debug("clearing offloads on {}: {}", name, e.getMessage());
    }
    return tun;
  }

  private static TunDevice attach(Netlink nl, String name, int flags) {
    try {
      return persistent(TunDevice.open(name, flags));
    } catch (NetlinkException e) {
      if (e.errno() == EBUSY) {
        throw new IllegalStateException(
            name + " is attached to another process (is another agent running on this node?)", e);
      }
      Link existing = nl.link(name).orElse(null);
      if (existing == null) {
        throw e;
      }
      LOG.warn("{} exists but is not a TUN device we can attach to ({}): recreating it", name, e);
      nl.deleteLink(existing.index());
      return persistent(TunDevice.open(name, flags));
    }
  }

  private static TunDevice persistent(TunDevice tun) {
    try {
      tun.setPersistent(true);
      return tun;
    } catch (RuntimeException e) {
      tun.close();
      throw e;
    }
  }
}
