package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * flannel's network config rules, as flanneld v0.28 applies them (its {@code subnet.ParseConfig}
 * and {@code CheckNetworkConfig}): field names case-insensitive, unknown fields warned about and
 * ignored, host bits of Network cleared, Backend absent meaning udp. Every violation is collected,
 * not just the first. A value asking for something jflannel does not do yet is refused, naming the
 * field; the value that means "off" is accepted silently.
 */
final class NetworkConfigParser {
  private static final Set<String> FIELDS =
      Set.of(
          "EnableIPv4",
          "EnableIPv6",
          "EnableNFTables",
          "Network",
          "IPv6Network",
          "SubnetMin",
          "SubnetMax",
          "IPv6SubnetMin",
          "IPv6SubnetMax",
          "SubnetLen",
          "IPv6SubnetLen",
          "Backend");

  private NetworkConfigParser() {}

  static NetworkConfig parse(String json) {
    JrsValue root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("not valid JSON: " + e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(List.of("config must be a JSON object, got: " + abbreviate(json)));
    }
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    JsonFields f = new JsonFields((JrsObject) root);
    for (String u : f.unknown(FIELDS)) {
      warnings.add(
          u + " is not a field of flannel's network config: ignored, as flanneld ignores it");
    }
    boolean enable4 = bool(f, "EnableIPv4", true, problems);
    boolean nftables = bool(f, "EnableNFTables", false, problems);
    Ipv6Config ipv6 = Ipv6ConfigParser.parse(f, bool(f, "EnableIPv6", false, problems), problems);
    if (!enable4) {
      BackendConfig backend = BackendConfigParser.parse(f.get("Backend"), problems, warnings);
      if (ipv6 == null && problems.isEmpty()) {
        problems.add("EnableIPv4 and EnableIPv6 are both false: no address family is enabled");
      }
      for (String v4 : List.of("Network", "SubnetLen", "SubnetMin", "SubnetMax")) {
        if (f.get(v4) != null) {
          warnings.add(v4 + " ignored: EnableIPv4 is false (an IPv6-only network)");
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return new NetworkConfig(null, 0, null, null, backend, json, warnings, nftables, ipv6);
    }
    Ipv4Net network = cidr(f, problems, warnings);
    if (network == null) {
      throw new ConfigException(problems);
    }
    int len = subnetLen(f.get("SubnetLen"), network, problems);
    BackendConfig backend = BackendConfigParser.parse(f.get("Backend"), problems, warnings);
    Ipv4Net min = null;
    Ipv4Net max = null;
    if (len > 0) {
      min = bound(f, "SubnetMin", network, len, problems);
      max = bound(f, "SubnetMax", network, len, problems);
      if (min == null && f.get("SubnetMin") == null) {
        min = new Ipv4Net(network.address(), len).next(); // the first subnet is skipped
      }
      if (max == null && f.get("SubnetMax") == null) {
        max = new Ipv4Net(new Ipv4Address(network.lastAddress().value() & Ipv4Net.mask(len)), len);
      }
      if (min != null && max != null && min.compareTo(max) > 0) {
        problems.add(
            "SubnetMin " + min + " is after SubnetMax " + max + ": no subnet can be leased");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new NetworkConfig(network, len, min, max, backend, json, warnings, nftables, ipv6);
  }

  /** A boolean field (Go: a JSON true/false, nothing else), or {@code fallback} when absent. */
  private static boolean bool(JsonFields f, String name, boolean fallback, List<String> problems) {
    JrsValue n = f.get(name);
    if (n == null) {
      return fallback;
    }
    if (!Json.isBoolean(n)) {
      problems.add(name + ": " + Json.write(n) + " is not true or false");
      return fallback;
    }
    return Json.isTrue(n);
  }

  private static int subnetLen(JrsValue n, Ipv4Net network, List<String> problems) {
    int p = network.prefixLength();
    if (n == null || (Json.isInt(n) && Json.intValue(n, -1) == 0)) {
      if (p <= 22) {
        return 24;
      }
      if (p <= 28) {
        return p + 2;
      }
      problems.add(
          "Network: " + network + " is too small (prefix above /28 leaves no room for subnets)");
      return -1;
    }
    int len = Json.intValue(n, -1);
    if (len < 0) {
      problems.add("SubnetLen: " + Json.write(n) + " is not an integer");
      return -1;
    }
    if (len > 30) {
      problems.add("SubnetLen: " + len + " is larger than 30");
      return -1;
    }
    if (len < p + 2) {
      problems.add(
          "SubnetLen: "
              + len
              + " must be at least Network prefix + 2 ("
              + (p + 2)
              + " for "
              + network
              + ")");
      return -1;
    }
    return len;
  }

  private static Ipv4Net bound(
      JsonFields f, String field, Ipv4Net network, int len, List<String> problems) {
    JrsValue n = f.get(field);
    if (n == null) {
      return null;
    }
    String text = JsonFields.asText(n);
    Ipv4Address a;
    try {
      a = Ipv4Address.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": \"" + text + "\" is not an IPv4 address");
      return null;
    }
    if (!network.contains(a)) {
      problems.add(field + ": " + a + " is outside Network " + network);
      return null;
    }
    if ((a.value() & ~Ipv4Net.mask(len)) != 0) {
      problems.add(field + ": " + a + " is not aligned to SubnetLen " + len);
      return null;
    }
    return new Ipv4Net(a, len);
  }

  /** Network, its host bits cleared as Go's ParseCIDR does (with a warning). */
  private static Ipv4Net cidr(JsonFields f, List<String> problems, List<String> warnings) {
    JrsValue n = f.get("Network");
    if (n == null) {
      problems.add("Network: missing (a CIDR such as 10.244.0.0/16 is required)");
      return null;
    }
    String text = JsonFields.asText(n);
    try {
      return Ipv4Net.parse(text);
    } catch (IllegalArgumentException e) {
      try {
        int slash = text.indexOf('/');
        int len = Integer.parseInt(text.substring(slash + 1));
        Ipv4Address a = Ipv4Address.parse(text.substring(0, slash));
        Ipv4Net masked = new Ipv4Net(new Ipv4Address(a.value() & Ipv4Net.mask(len)), len);
        warnings.add(
            "Network: " + text + " has host bits set: using " + masked + ", as flanneld does");
        return masked;
      } catch (RuntimeException again) {
        problems.add("Network: " + Json.write(n) + " is not a valid CIDR (" + e.getMessage() + ")");
        return null;
      }
    }
  }

  static String abbreviate(String s) {
    return s == null ? "null" : s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
