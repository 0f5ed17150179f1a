package io.jflannel.backend;

import io.jflannel.net.IpNet;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Netlink;
import java.util.List;

/**
 * The address an overlay device carries, as flannel gives it: our subnet's first address as a /32
 * (vxlan's flannel.N, udp's flannel0), or our IPv6 subnet's as a /128 (flannel-v6.N), and no other
 * of that family (the kernel's IPv6 link-local address stays).
 */
public final class DeviceAddress {
  private DeviceAddress() {}

  /** The address {@code device} must carry for {@code own}, or none before both are known. */
  public static List<Address> of(int device, IpNet own) {
    return device == 0 || own == null
        ? List.of()
        : List.of(new Address(device, own.address(), own.address().bits()));
  }

  /** Gives {@code device} our address (removing any other) and brings it up. */
  public static void assign(Netlink nl, int device, IpNet own) {
    Address a = new Address(device, own.address(), own.address().bits());
    for (Address old : nl.addresses(device)) {
      boolean sameFamily = old.address().isIpv6() == a.address().isIpv6();
      if (sameFamily && !old.isLinkLocal() && !old.equals(a)) {
        nl.delete(old);
      }
    }
    nl.replace(a);
    nl.setUp(device, true);
  }
}
