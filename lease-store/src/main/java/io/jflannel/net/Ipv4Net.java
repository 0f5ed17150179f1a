package io.jflannel.net;

/**
 * An IPv4 network: a base address and a prefix length, with the host bits of the base cleared.
 *
 * @param address the network's first address
 * @param prefixLength 0 to 32
 */
public record Ipv4Net(Ipv4Address address, int prefixLength) implements IpNet, Comparable<Ipv4Net> {
  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv4Net n && n.prefixLength == prefixLength && n.address.equals(address);
  }

  @Override
  public int hashCode() {
    return address.hashCode() * 31 + prefixLength;
  }

  /** Validates that the prefix is in range and the host bits are zero. */
  public Ipv4Net {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
    if ((address.value() & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException(
          "host bits set in "
              + address
              + "/"
              + prefixLength
              + " (network is "
              + new Ipv4Address(address.value() & mask(prefixLength))
              + ")");
    }
  }

  /**
   * Parses CIDR text such as {@code 10.244.0.0/16}.
   *
   * @throws IllegalArgumentException naming the text when it is not a CIDR with clear host bits
   */
  public static Ipv4Net parse(String cidr) {
    if (cidr == null) {
      throw new IllegalArgumentException("CIDR missing");
    }
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR (no /prefix): \"" + cidr + "\"");
    }
    return parse(cidr, slash, "not a CIDR prefix length: \"%s\"");
  }

  /**
   * Parses flannel's etcd key form of a subnet, {@code 10.244.1.0-24}.
   *
   * @throws IllegalArgumentException naming the text when it is not of that form
   */
  public static Ipv4Net parseKey(String key) {
    int dash = key.lastIndexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("not a subnet key (want 10.244.1.0-24): \"" + key + "\"");
    }
    return parse(key, dash, "not a subnet key's prefix length: \"%s\"");
  }

  // the address before sep, a prefix length of one or two digits after it; no copies of the text
  private static Ipv4Net parse(String text, int sep, String badLength) {
    int end = text.length();
    boolean digits = end > sep + 1 && end <= sep + 3;
    int len = 0;
    for (int i = sep + 1; digits && i < end; i++) {
      char c = text.charAt(i);
      digits = c >= '0' && c <= '9';
      len = len * 10 + c - '0';
    }
    if (!digits) {
      throw new IllegalArgumentException(String.format(badLength, text));
    }
    try {
      return new Ipv4Net(Ipv4Address.parse(text, 0, sep), len);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid CIDR \"" + text + "\": " + e.getMessage(), e);
    }
  }

  /** The network mask of a prefix length as an integer. */
  public static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** Number of addresses in this network (as a long: a /0 holds 2^32). */
  public long size() {
    return 1L << (32 - prefixLength);
  }

  /** True when {@code a} lies inside this network. */
  public boolean contains(Ipv4Address a) {
    return (a.value() & mask(prefixLength)) == address.value();
  }

  @Override
  public boolean containsAddress(IpAddress a) {
    return a instanceof Ipv4Address v4 && contains(v4);
  }

  /** True when {@code other} lies wholly inside this network. */
  public boolean contains(Ipv4Net other) {
    return other.prefixLength >= prefixLength && contains(other.address);
  }

  /** True when the two networks share at least one address. */
  public boolean overlaps(Ipv4Net other) {
    return contains(other.address) || other.contains(address);
  }

  /** The n-th address of this network (0 is the network address). */
  public Ipv4Address addressAt(long n) {
    return new Ipv4Address((int) (Integer.toUnsignedLong(address.value()) + n));
  }

  /** The last address of this network. */
  public Ipv4Address lastAddress() {
    return addressAt(size() - 1);
  }

  /** The network of the same size that follows this one. */
  public Ipv4Net next() {
    return new Ipv4Net(addressAt(size()), prefixLength);
  }

  /** flannel's etcd key form: {@code 10.244.1.0-24}. */
  public String toKey() {
    return address + "-" + prefixLength;
  }

  @Override
  public int compareTo(Ipv4Net o) {
    int c = address.compareTo(o.address);
    return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
