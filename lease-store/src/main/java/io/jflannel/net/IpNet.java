package io.jflannel.net;

/** An IPv4 or IPv6 network: a route's destination of either family. */
public sealed interface IpNet permits Ipv4Net, Ipv6Net {
  /**
   * Parses a CIDR of either family.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  static IpNet parse(String cidr) {
    return cidr.indexOf(':') >= 0 ? Ipv6Net.parse(cidr) : Ipv4Net.parse(cidr);
  }

  /** The network's first address. */
  IpAddress address();

  /** 0 to 32 or 0 to 128. */
  int prefixLength();

  /** True when {@code a} (of either family) lies inside this network. */
  boolean containsAddress(IpAddress a);

  /** The address after the network's own: a bridge's gateway address, FLANNEL_SUBNET's. */
  default IpAddress firstHost() {
    return this instanceof Ipv4Net n
        ? n.addressAt(1)
        : ((Ipv6Net) this).addressAt(java.math.BigInteger.ONE);
  }

  /** True for an IPv6 network. */
  default boolean isIpv6() {
    return address().isIpv6();
  }
}
