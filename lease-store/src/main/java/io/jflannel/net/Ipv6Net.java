package io.jflannel.net;

import java.math.BigInteger;

/**
 * An IPv6 network: a base address and a prefix length, with the host bits of the base cleared.
 *
 * @param address the network's first address
 * @param prefixLength 0 to 128
 */
public record Ipv6Net(Ipv6Address address, int prefixLength) implements IpNet, Comparable<Ipv6Net> {
  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv6Net n && n.prefixLength == prefixLength && n.address.equals(address);
  }

  @Override
  public int hashCode() {
    return address.hashCode() * 31 + prefixLength;
  }

  /** Validates that the prefix is in range and the host bits are zero. */
  public Ipv6Net {
    if (prefixLength < 0 || prefixLength > 128) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
    Ipv6Address masked = masked(address, prefixLength);
    if (!masked.equals(address)) {
      throw new IllegalArgumentException(
          "host bits set in " + address + "/" + prefixLength + " (network is " + masked + ")");
    }
  }

  /** {@code a} with the bits after the first {@code prefixLength} cleared. */
  public static Ipv6Address masked(Ipv6Address a, int prefixLength) {
    long hiMask = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
    long loMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    return new Ipv6Address(a.hi() & hiMask, a.lo() & loMask);
  }

  /**
   * Parses CIDR text such as {@code fc00::/48}.
   *
   * @throws IllegalArgumentException naming the text when it is not a CIDR with clear host bits
   */
  public static Ipv6Net parse(String cidr) {
    return parse(cidr, false);
  }

  /**
   * Parses an address with its prefix length ({@code fc00:0:0:1::1/64}, as subnet.env holds it, or
   * a CIDR written with host bits) into its network, as Go's {@code net.ParseCIDR} does.
   *
   * @throws IllegalArgumentException naming the text when it is not address/prefix
   */
  public static Ipv6Net parseClearingHostBits(String cidr) {
    return parse(cidr, true);
  }

  private static Ipv6Net parse(String cidr, boolean clearHostBits) {
    if (cidr == null) {
      throw new IllegalArgumentException("CIDR missing");
    }
    int slash = cidr.indexOf('/');
    String len = slash < 0 ? "" : cidr.substring(slash + 1);
    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not an IPv6 CIDR: \"" + cidr + "\"");
    }
    try {
      Ipv6Address a = Ipv6Address.parse(cidr.substring(0, slash));
      int l = Integer.parseInt(len);
      return new Ipv6Net(clearHostBits && l <= 128 ? masked(a, l) : a, l);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid CIDR \"" + cidr + "\": " + e.getMessage(), e);
    }
  }

  /** Parses flannel's etcd key form of a subnet, {@code fc00:0:0:1::-64}. */
  public static Ipv6Net parseKey(String key) {
    int dash = key.lastIndexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException(
          "not an IPv6 subnet key (want fc00::-64): \"" + key + "\"");
    }
    return parse(key.substring(0, dash) + "/" + key.substring(dash + 1));
  }

  /** Number of addresses in this network. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(128 - prefixLength);
  }

  /** True when {@code a} lies inside this network. */
  public boolean contains(Ipv6Address a) {
    return masked(a, prefixLength).equals(address);
  }

  @Override
  public boolean containsAddress(IpAddress a) {
    return a instanceof Ipv6Address v6 && contains(v6);
  }

  /** True when {@code other} lies wholly inside this network. */
  public boolean contains(Ipv6Net other) {
    return other.prefixLength >= prefixLength && contains(other.address);
  }

  /** True when the two networks share at least one address. */
  public boolean overlaps(Ipv6Net other) {
    return contains(other.address) || other.contains(address);
  }

  /** The n-th address of this network (0 is the network address). */
  public Ipv6Address addressAt(BigInteger n) {
    return Ipv6Address.of(address.toBigInteger().add(n));
  }

  /** The network of the same size that follows this one. */
  public Ipv6Net next() {
    return new Ipv6Net(addressAt(size()), prefixLength);
  }

  /** flannel's etcd key form: {@code fc00:0:0:1::-64}. */
  public String toKey() {
    return address + "-" + prefixLength;
  }

  @Override
  public int compareTo(Ipv6Net o) {
    int c = address.compareTo(o.address);
    return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
