package io.jflannel.net;

/** An IPv4 or IPv6 network: a route's destination of either family. */
public sealed interface IpNet permits Ipv4Net, Ipv6Net {
  /** The network's first address. */
  IpAddress address();

  /** 0 to 32 or 0 to 128. */
  int prefixLength();

  /** True when {@code a} (of either family) lies inside this network. */
  boolean containsAddress(IpAddress a);

  /** True for an IPv6 network. */
  default boolean isIpv6() {
    return address().isIpv6();
  }
}
