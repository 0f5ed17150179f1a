package io.jflannel.netlink;

import io.jflannel.net.IpAddress;

/**
 * Parameters of a VXLAN device.
 *
 * @param vni VXLAN network identifier
 * @param local source address of encapsulated packets, IPv4 or IPv6 (null for any)
 * @param port UDP destination port (8472 for flannel)
 * @param underlayIndex ifindex of the underlying device, or 0
 * @param learning whether the device learns remote MACs (flannel: off)
 * @param gbp VXLAN Group Based Policy extension (flannel's GBP option, off by default)
 */
public record VxlanInfo(
    int vni, IpAddress local, int port, int underlayIndex, boolean learning, boolean gbp) {

  /** Without GBP. */
  public VxlanInfo(int vni, IpAddress local, int port, int underlayIndex, boolean learning) {
    this(vni, local, port, underlayIndex, learning, false);
  }
}
