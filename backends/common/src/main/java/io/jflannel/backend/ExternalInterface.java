package io.jflannel.backend;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import io.jflannel.netlink.Link;

/**
 * The node's underlay interface.
 *
 * @param link the device
 * @param address its IPv4 address, or null when it has none (only an IPv6-only network does
 *     without)
 * @param network the on-link network of that address, or null
 * @param publicIp the address advertised to peers (the address, unless overridden; 0.0.0.0 when
 *     there is none)
 * @param address6 its first global IPv6 address, or null (what a dual-stack network's IPv6 VTEP and
 *     host-gw routes use)
 * @param publicIpv6 the IPv6 address advertised to peers (address6, unless {@code --public-ipv6}),
 *     or null
 * @param network6 the on-link network of address6 (vxlan's DirectRouting over IPv6), or null when
 *     unknown
 */
public record ExternalInterface(
    Link link,
    Ipv4Address address,
    Ipv4Net network,
    Ipv4Address publicIp,
    Ipv6Address address6,
    Ipv6Address publicIpv6,
    Ipv6Net network6) {

  /** An interface whose IPv6 address's on-link network is not known. */
  public ExternalInterface(
      Link link,
      Ipv4Address address,
      Ipv4Net network,
      Ipv4Address publicIp,
      Ipv6Address address6,
      Ipv6Address publicIpv6) {
    this(link, address, network, publicIp, address6, publicIpv6, null);
  }

  /** An interface without IPv6. */
  public ExternalInterface(Link link, Ipv4Address address, Ipv4Net network, Ipv4Address publicIp) {
    this(link, address, network, publicIp, null, null, null);
  }

  /**
   * Checks the IPv4 address a network with IPv4 needs.
   *
   * @throws IllegalStateException naming the interface when it has none
   */
  public void requireIpv4() {
    if (address == null) {
      throw new IllegalStateException(
          "interface "
              + link.name()
              + " has no IPv4 address (the network enables IPv4; an IPv6-only network sets"
              + " \"EnableIPv4\": false)");
    }
  }

  /**
   * The IPv6 address a dual-stack network needs.
   *
   * @throws IllegalStateException naming the interface when it has none
   */
  public Ipv6Address requirePublicIpv6() {
    if (publicIpv6 == null) {
      throw new IllegalStateException(
          "EnableIPv6 needs an IPv6 address: "
              + link.name()
              + " has no global IPv6 address (add one, or give --public-ipv6)");
    }
    return publicIpv6;
  }
}
