package io.jflannel.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 address held as two 64-bit halves.
 *
 * @param hi the first eight bytes, most significant first
 * @param lo the last eight bytes
 */
public record Ipv6Address(long hi, long lo) implements IpAddress, Comparable<Ipv6Address> {
  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv6Address a && a.hi == hi && a.lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo);
  }

  /**
   * Parses IPv6 literal text ({@code fc00::1}, {@code fc00:0:0:1::}); no names, no zone, no prefix.
   *
   * @throws IllegalArgumentException naming the text when it is not an IPv6 literal
   */
  public static Ipv6Address parse(String text) {
    if (text == null
        || text.indexOf(':') < 0
        || text.length() > 45
        || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
    }
    try {
      // only hex digits, colons and dots get here: a literal, never a name lookup
      InetAddress a = InetAddress.getByName(text);
      if (a instanceof Inet6Address) {
        return of(a.getAddress());
      }
      // an IPv4-mapped literal (::ffff:a.b.c.d), which the JDK hands back as IPv4
      byte[] v4 = a.getAddress();
      byte[] b = new byte[16];
      b[10] = (byte) 0xff;
      b[11] = (byte) 0xff;
      System.arraycopy(v4, 0, b, 12, 4);
      return of(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"", e);
    }
  }

  /** The address of sixteen network-order bytes. */
  public static Ipv6Address of(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException("an IPv6 address has 16 bytes, got " + bytes.length);
    }
    long h = 0;
    long l = 0;
    for (int i = 0; i < 8; i++) {
      h = h << 8 | (bytes[i] & 0xff);
      l = l << 8 | (bytes[i + 8] & 0xff);
    }
    return new Ipv6Address(h, l);
  }

  /** The address of an unsigned 128-bit integer (taken modulo 2^128). */
  public static Ipv6Address of(BigInteger v) {
    return new Ipv6Address(v.shiftRight(64).longValue(), v.longValue());
  }

  /** The address as an unsigned 128-bit integer. */
  public BigInteger toBigInteger() {
    return new BigInteger(1, toBytes());
  }

  @Override
  public byte[] toBytes() {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[i + 8] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  @Override
  public int bits() {
    return 128;
  }

  /** True for a link-local address (fe80::/10). */
  public boolean isLinkLocal() {
    return (hi >>> 54) == 0x3fa;
  }

  @Override
  public int compareTo(Ipv6Address o) {
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  /** RFC 5952 text, as Go's {@code net.IP.String} writes it (and so flanneld's keys). */
  @Override
  public String toString() {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
      g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is never shortened
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }
}
