package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import java.util.List;

/**
 * The IPv6 fields of a network config with flanneld's rules ({@code CheckNetworkConfig}): parsed
 * (and refused when malformed) even when IPv6 is off, as flanneld parses them; checked and
 * defaulted only with {@code EnableIPv6}.
 */
final class Ipv6ConfigParser {
  private Ipv6ConfigParser() {}

  /** The IPv6 config when {@code enabled}, else null; problems are added, never thrown. */
  static Ipv6Config parse(JsonFields f, boolean enabled, List<String> problems) {
    Ipv6Net network = network(f.get("IPv6Network"), problems);
    Ipv6Address min = address(f, "IPv6SubnetMin", problems);
    Ipv6Address max = address(f, "IPv6SubnetMax", problems);
    JrsValue lenNode = f.get("IPv6SubnetLen");
    int len = Json.intValue(lenNode, lenNode == null ? 0 : -1);
    if (len < 0 || len > 128) {
      problems.add("IPv6SubnetLen: " + Json.write(lenNode) + " is not an integer in [0, 128]");
      return null;
    }
    if (!enabled) {
      return null;
    }
    if (network == null) {
      if (f.get("IPv6Network") == null) {
        problems.add("IPv6Network: missing (EnableIPv6 needs a CIDR such as fc00::/48)");
      }
      return null;
    }
    int p = network.prefixLength();
    if (len == 0) {
      if (p > 124) {
        problems.add("IPv6Network: " + network + " is too small (prefix above /124)");
        return null;
      }
      len = p <= 62 ? 64 : p + 2;
    } else if (len > 126) {
      problems.add("IPv6SubnetLen: " + len + " is larger than 126");
      return null;
    } else if (len < p + 2) {
      problems.add(
          "IPv6SubnetLen: " + len + " must be at least IPv6Network prefix + 2 (" + (p + 2) + ")");
      return null;
    }
    Ipv6Net first = new Ipv6Net(network.address(), len);
    Ipv6Net lo = bound("IPv6SubnetMin", min, network, len, problems);
    Ipv6Net hi = bound("IPv6SubnetMax", max, network, len, problems);
    if (lo == null && min == null) {
      lo = first.next(); // the first subnet is skipped, as with IPv4
    }
    if (hi == null && max == null) {
      hi =
          new Ipv6Net(
              Ipv6Net.masked(network.next().addressAt(java.math.BigInteger.ONE.negate()), len),
              len);
    }
    if (lo != null && hi != null && lo.compareTo(hi) > 0) {
      problems.add(
          "IPv6SubnetMin " + lo + " is after IPv6SubnetMax " + hi + ": no subnet can be leased");
      return null;
    }
    return lo == null || hi == null ? null : new Ipv6Config(network, len, lo, hi);
  }

  private static Ipv6Net network(JrsValue n, List<String> problems) {
    if (n == null) {
      return null;
    }
    try {
      return Ipv6Net.parseClearingHostBits(JsonFields.asText(n));
    } catch (IllegalArgumentException e) {
      problems.add("IPv6Network: " + Json.write(n) + " is not an IPv6 CIDR");
      return null;
    }
  }

  private static Ipv6Address address(JsonFields f, String field, List<String> problems) {
    JrsValue v = f.get(field);
    if (v == null) {
      return null;
    }
    try {
      return Ipv6Address.parse(JsonFields.asText(v));
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + Json.write(v) + " is not an IPv6 address");
      return null;
    }
  }

  private static Ipv6Net bound(
      String field, Ipv6Address a, Ipv6Net network, int len, List<String> problems) {
    if (a == null) {
      return null;
    }
    if (!network.contains(a)) {
      problems.add(field + ": " + a + " is outside IPv6Network " + network);
      return null;
    }
    if (!Ipv6Net.masked(a, len).equals(a)) {
      problems.add(field + ": " + a + " is not aligned to IPv6SubnetLen " + len);
      return null;
    }
    return new Ipv6Net(a, len);
  }
}
