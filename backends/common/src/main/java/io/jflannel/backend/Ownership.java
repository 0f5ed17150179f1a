package io.jflannel.backend;

import io.jflannel.net.IpNet;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.KernelObject;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Route;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Which kernel objects the agent claims, so that it may remove them when no lease explains them:
 * routes it installed (protocol 121), routes of a subnet's size inside the cluster network of
 * either family (but not our own subnet's or the kernel's), and everything on the backend's own
 * devices (their addresses but the kernel's IPv6 link-local one, neighbours inside the cluster
 * network, FDB entries). Objects of other software are left alone.
 */
final class Ownership {
  /** One address family's cluster network, subnet size and this node's subnet. */
  record Space(IpNet network, int subnetLen, IpNet own) {}

  private final List<Space> spaces;
  private final IntSupplier device;
  private final IntSupplier device6;

  Ownership(List<Space> spaces, IntSupplier device, IntSupplier device6) {
    this.spaces = List.copyOf(spaces);
    this.device = device;
    this.device6 = device6;
  }

  boolean ours(KernelObject o) {
    if (o instanceof Route r) {
      IpNet d = r.destination();
      if (r.table() != Route.TABLE_MAIN) {
        return false;
      }
      for (Space s : spaces) {
        if (d.equals(s.own())) {
          return false;
        }
      }
      return r.protocol() == Route.PROTOCOL_JFLANNEL
          || (r.protocol() != Route.PROTOCOL_KERNEL && inSpace(d));
    }
    if (o instanceof Neighbour n) {
      return onDevice(n.ifindex())
          && spaces.stream().anyMatch(s -> s.network().containsAddress(n.address()));
    }
    if (o instanceof FdbEntry f) {
      return onDevice(f.ifindex());
    }
    return o instanceof Address a && onDevice(a.ifindex()) && !a.isLinkLocal();
  }

  private boolean inSpace(IpNet d) {
    for (Space s : spaces) {
      if (d.prefixLength() == s.subnetLen()
          && d.isIpv6() == s.network().isIpv6()
          && s.network().containsAddress(d.address())) {
        return true;
      }
    }
    return false;
  }

  private boolean onDevice(int ifindex) {
    if (ifindex == 0) {
      return false;
    }
    return ifindex == device.getAsInt() || ifindex == device6.getAsInt();
  }
}
