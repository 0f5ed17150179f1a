package io.jflannel.netlink;

import io.jflannel.net.IpAddress;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * An address of either family on a device.
 *
 * @param ifindex the device
 * @param address the address
 * @param prefixLength its prefix length
 */
public record Address(int ifindex, IpAddress address, int prefixLength) implements NetlinkObject {

  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a
        && a.ifindex == ifindex
        && a.prefixLength == prefixLength
        && Objects.equals(a.address, address);
  }

  @Override
  public int hashCode() {
    return (ifindex * 31 + Objects.hashCode(address)) * 31 + prefixLength;
  }

  /**
   * True for an IPv6 link-local address (fe80::/10): the kernel's own on every IPv6-enabled device,
   * never the agent's to add or remove.
   */
  public boolean isLinkLocal() {
    return address instanceof io.jflannel.net.Ipv6Address v6 && v6.isLinkLocal();
  }

  /** An address is its own slot. */
  @Override
  public Address key() {
    return this;
  }

  @Override
  public String type() {
    return "address";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    return address + "/" + prefixLength + " dev " + dev.apply(ifindex);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength + " dev #" + ifindex;
  }
}
