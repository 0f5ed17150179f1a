package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.util.Comparator;

/**
 * The subnets a lease key names, in flanneld's form: {@code 10.244.1.0-24} for an IPv4 lease,
 * {@code 10.244.1.0-24&fc00:0:0:1::-64} for a dual-stack one (the IPv6 subnet in Go's shortest
 * text), {@code 0.0.0.0-0&fc00:0:0:1::-64} for an IPv6-only one (flanneld's key of an empty IPv4
 * subnet).
 *
 * @param ipv4 the IPv4 subnet, or null for an IPv6-only lease
 * @param ipv6 the IPv6 subnet, or null
 */
public record SubnetKey(Ipv4Net ipv4, Ipv6Net ipv6) implements Comparable<SubnetKey> {
  /** flanneld's text for the absent IPv4 subnet of an IPv6-only lease. */
  public static final String NO_IPV4 = "0.0.0.0-0";

  private static final Comparator<Ipv4Net> IPV4_ORDER =
      Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<Ipv6Net> IPV6_ORDER =
      Comparator.nullsFirst(Comparator.naturalOrder());

  /** Requires a subnet of one family at least. */
  public SubnetKey {
    if (ipv4 == null && ipv6 == null) {
      throw new IllegalArgumentException("a lease key needs an IPv4 or an IPv6 subnet");
    }
  }

  /**
   * Parses the part of a lease key after {@code subnets/}.
   *
   * @throws IllegalArgumentException naming the text when it is none of the forms
   */
  public static SubnetKey parse(String text) {
    int amp = text.indexOf('&');
    if (amp < 0) {
      return new SubnetKey(Ipv4Net.parseKey(text), null);
    }
    String v4 = text.substring(0, amp);
    String v6 = text.substring(amp + 1);
    if (!v6.matches("[0-9a-f:]+-\\d{1,3}")) {
      throw new IllegalArgumentException(
          "not a dual-stack subnet key (want 10.244.1.0-24&fc00:0:0:1::-64): \"" + text + "\"");
    }
    return new SubnetKey(NO_IPV4.equals(v4) ? null : Ipv4Net.parseKey(v4), Ipv6Net.parseKey(v6));
  }

  /** flanneld's key form. */
  public String toKey() {
    if (ipv6 == null) {
      return ipv4.toKey();
    }
    return (ipv4 == null ? NO_IPV4 : ipv4.toKey()) + "&" + ipv6.toKey();
  }

  /**
   * True when both keys name the same subnet of one family at least: the same node's lease in
   * another key form (IPv4-only before {@code EnableIPv6}, dual-stack after), or a clash.
   */
  public boolean shares(SubnetKey other) {
    return other != null
        && ((ipv4 != null && ipv4.equals(other.ipv4)) || (ipv6 != null && ipv6.equals(other.ipv6)));
  }

  /**
   * True when {@code other} is the lease key {@code getLease(this)} means: for an IPv4-only key, a
   * key of the same IPv4 subnet in either form (what an operator names); else the same key.
   */
  public boolean names(SubnetKey other) {
    return ipv6 == null ? ipv4.equals(other.ipv4) : equals(other);
  }

  /** The subnets present, comma-separated: {@code 10.244.1.0/24,fc00:0:0:1::/64}. */
  public String commaSeparated() {
    if (ipv6 == null) {
      return ipv4.toString();
    }
    return ipv4 == null ? ipv6.toString() : ipv4 + "," + ipv6;
  }

  /** The subnets of both families (present ones only) as text, for messages. */
  @Override
  public String toString() {
    if (ipv6 == null) {
      return ipv4.toString();
    }
    return ipv4 == null ? ipv6.toString() : ipv4 + " + " + ipv6;
  }

  /** IPv4 subnet first (IPv6-only keys before the others), then IPv6 subnet. */
  @Override
  public int compareTo(SubnetKey o) {
    return compare(ipv4, ipv6, o.ipv4, o.ipv6);
  }

  /** The order of keys on their parts, for callers holding the parts ({@link Lease#BY_KEY}). */
  static int compare(Ipv4Net a4, Ipv6Net a6, Ipv4Net b4, Ipv6Net b6) {
    int c = IPV4_ORDER.compare(a4, b4);
    return c != 0 ? c : IPV6_ORDER.compare(a6, b6);
  }
}
