package io.jflannel.lease;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.List;

/**
 * The IPv6 fields of a network config, checked for their syntax only: flanneld parses them even
 * when IPv6 is off (and refuses a config where they are malformed), but uses them only with {@code
 * EnableIPv6}.
 */
final class Ipv6Syntax {
  private Ipv6Syntax() {}

  static void check(JsonFields f, List<String> problems) {
    JsonNode net = f.get("IPv6Network");
    if (net != null) {
      String s = net.asText();
      int slash = s.indexOf('/');
      if (slash < 0 || !isIpv6(s.substring(0, slash)) || !prefix(s.substring(slash + 1))) {
        problems.add("IPv6Network: " + net + " is not an IPv6 CIDR");
      }
    }
    for (String a : List.of("IPv6SubnetMin", "IPv6SubnetMax")) {
      JsonNode v = f.get(a);
      if (v != null && !isIpv6(v.asText())) {
        problems.add(a + ": " + v + " is not an IPv6 address");
      }
    }
    JsonNode len = f.get("IPv6SubnetLen");
    if (len != null && (!len.isInt() || len.asInt() < 0 || len.asInt() > 128)) {
      problems.add("IPv6SubnetLen: " + len + " is not an integer in [0, 128]");
    }
  }

  private static boolean prefix(String s) {
    return s.matches("\\d{1,3}") && Integer.parseInt(s) <= 128;
  }

  /** A literal IPv6 address (never a name lookup: only hex digits, colons and dots get here). */
  static boolean isIpv6(String s) {
    if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(s) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
