package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;

/**
 * The subnets a lease key names, in flanneld's form: {@code 10.244.1.0-24} for an IPv4 lease,
 * {@code 10.244.1.0-24&fc00:0:0:1::-64} for a dual-stack one (the IPv6 subnet in Go's shortest
 * text).
 *
 * @param ipv4 the IPv4 subnet
 * @param ipv6 the IPv6 subnet, or null
 */
public record SubnetKey(Ipv4Net ipv4, Ipv6Net ipv6) {

  /** Requires the IPv4 subnet. */
  public SubnetKey {
    if (ipv4 == null) {
      throw new IllegalArgumentException("a lease key needs an IPv4 subnet");
    }
  }

  /**
   * Parses the part of a lease key after {@code subnets/}.
   *
   * @throws IllegalArgumentException naming the text when it is neither form
   */
  public static SubnetKey parse(String text) {
    int amp = text.indexOf('&');
    if (amp < 0) {
      return new SubnetKey(Ipv4Net.parseKey(text), null);
    }
    String v6 = text.substring(amp + 1);
    if (!v6.matches("[0-9a-f:]+-\\d{1,3}")) {
      throw new IllegalArgumentException(
          "not a dual-stack subnet key (want 10.244.1.0-24&fc00:0:0:1::-64): \"" + text + "\"");
    }
    return new SubnetKey(Ipv4Net.parseKey(text.substring(0, amp)), Ipv6Net.parseKey(v6));
  }

  /** flanneld's key form. */
  public String toKey() {
    return ipv6 == null ? ipv4.toKey() : ipv4.toKey() + "&" + ipv6.toKey();
  }

  @Override
  public String toString() {
    return ipv6 == null ? ipv4.toString() : ipv4 + " + " + ipv6;
  }
}
