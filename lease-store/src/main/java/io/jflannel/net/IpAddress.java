package io.jflannel.net;

/**
 * An IPv4 or IPv6 address: what the kernel objects of either family hold (a route's gateway, a
 * neighbour's or an FDB entry's address).
 */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {
  /** The address in network byte order: 4 or 16 bytes. */
  byte[] toBytes();

  /** 32 or 128. */
  int bits();

  /** True for an IPv6 address. */
  default boolean isIpv6() {
    return bits() == 128;
  }

  /**
   * Parses either family's literal text.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  static IpAddress parse(String text) {
    return text != null && text.indexOf(':') >= 0
        ? Ipv6Address.parse(text)
        : Ipv4Address.parse(text);
  }

  /** The address of 4 or 16 network-order bytes. */
  static IpAddress of(byte[] bytes) {
    return bytes.length == 16 ? Ipv6Address.of(bytes) : Ipv4Address.of(bytes);
  }
}
