package io.jflannel.netlink;

import io.jflannel.net.Ipv4Address;

/**
 * An IPv4 address on a device.
 *
 * @param ifindex the device
 * @param address the address
 * @param prefixLength its prefix length
 */
public record Address(int ifindex, Ipv4Address address, int prefixLength) {
  @Override
  public String toString() {
    return address + "/" + prefixLength + " dev #" + ifindex;
  }
}
