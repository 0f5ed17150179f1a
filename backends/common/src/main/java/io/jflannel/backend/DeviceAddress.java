package io.jflannel.backend;

import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Netlink;
import java.util.List;

/**
 * The address an overlay device carries, as flannel gives it: our subnet's first address as a /32
 * (vxlan's flannel.N, udp's flannel0), and no other.
 */
public final class DeviceAddress {
  private DeviceAddress() {}

  /** The address {@code device} must carry for {@code own}, or none before both are known. */
  public static List<Address> of(int device, Ipv4Net own) {
    return device == 0 || own == null ? List.of() : List.of(new Address(device, own.address(), 32));
  }

  /** Gives {@code device} our address (removing any other) and brings it up. */
  public static void assign(Netlink nl, int device, Ipv4Net own) {
    Address a = new Address(device, own.address(), 32);
    for (Address old : nl.addresses(device)) {
      if (!old.equals(a)) {
        nl.delete(old);
      }
    }
    nl.replace(a);
    nl.setUp(device, true);
  }
}
