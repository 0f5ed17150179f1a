package io.jflannel.netlink;

import io.jflannel.net.MacAddress;

/**
 * A network device as the kernel reports it.
 *
 * @param index ifindex
 * @param name interface name
 * @param flags IFF_* flags
 * @param mtu MTU
 * @param mac hardware address (null for devices without one, e.g. TUN)
 * @param kind IFLA_INFO_KIND ({@code vxlan}, {@code bridge}, {@code veth}, {@code tun}), or null
 * @param masterIndex ifindex of the bridge it is enslaved to, or 0
 * @param vxlan VXLAN parameters when {@code kind} is vxlan, else null
 */
public record Link(
    int index,
    String name,
    int flags,
    int mtu,
    MacAddress mac,
    String kind,
    int masterIndex,
    VxlanInfo vxlan) {

  /** True when administratively up. */
  public boolean isUp() {
    return (flags & Rtnl.IFF_UP) != 0;
  }
}
