package io.jflannel.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** flannel's config rules (DESIGN.md §2), collecting every violation rather than the first. */
final class NetworkConfigParser {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkConfigParser.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "Network", "SubnetLen", "SubnetMin", "SubnetMax", "Backend", "EnableIPv4", "EnableIPv6");
  private static final Map<String, Set<String>> BACKEND_OPTIONS =
      Map.of(
          "vxlan", Set.of("Type", "VNI", "Port", "MTU", "DirectRouting"),
          "host-gw", Set.of("Type"),
          "udp", Set.of("Type", "Port", "Offloads", "Device"));

  private NetworkConfigParser() {}

  static NetworkConfig parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(List.of("not valid JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(List.of("config must be a JSON object, got: " + abbreviate(json)));
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP_LEVEL.contains(f)) {
        problems.add(f + ": unknown or unsupported field");
      }
    }
    if (root.has("EnableIPv4") && !root.get("EnableIPv4").asBoolean(true)) {
      problems.add(
          "EnableIPv4: " + root.get("EnableIPv4") + " is not supported (jflannel is IPv4-only)");
    }
    if (root.has("EnableIPv6") && root.get("EnableIPv6").asBoolean(false)) {
      problems.add("EnableIPv6: " + root.get("EnableIPv6") + " is not supported yet (IPv4 only)");
    }
    Ipv4Net network = cidr(root, "Network", problems);
    if (network == null) {
      throw new ConfigException(problems);
    }
    int len = subnetLen(root, network, problems);
    BackendConfig backend = backend(root.get("Backend"), problems);
    Ipv4Net min = null;
    Ipv4Net max = null;
    if (len > 0) {
      min = bound(root, "SubnetMin", network, len, problems);
      max = bound(root, "SubnetMax", network, len, problems);
      if (min == null && !root.has("SubnetMin")) {
        min = new Ipv4Net(network.address(), len).next(); // the first subnet is skipped
      }
      if (max == null && !root.has("SubnetMax")) {
        max = new Ipv4Net(new Ipv4Address(network.lastAddress().value() & Ipv4Net.mask(len)), len);
      }
      if (min != null && max != null && min.compareTo(max) > 0) {
        problems.add("SubnetMin: " + min + " is after SubnetMax " + max);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new NetworkConfig(network, len, min, max, backend, json);
  }

  private static int subnetLen(JsonNode root, Ipv4Net network, List<String> problems) {
    int p = network.prefixLength();
    JsonNode n = root.get("SubnetLen");
    if (n == null || n.isNull() || (n.isInt() && n.asInt() == 0)) {
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
    if (!n.isInt()) {
      problems.add("SubnetLen: " + n + " is not an integer");
      return -1;
    }
    int len = n.asInt();
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
      JsonNode root, String field, Ipv4Net network, int len, List<String> problems) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    String text = n.asText();
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

  private static Ipv4Net cidr(JsonNode root, String field, List<String> problems) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      problems.add(field + ": missing (a CIDR such as 10.244.0.0/16 is required)");
      return null;
    }
    try {
      return Ipv4Net.parse(n.asText());
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + n + " is not a valid CIDR (" + e.getMessage() + ")");
      return null;
    }
  }

  private static BackendConfig backend(JsonNode n, List<String> problems) {
    if (n == null || n.isNull()) {
      LOG.info("network config has no Backend: using vxlan (flannel's docs default)");
      return new BackendConfig("vxlan", MAPPER.createObjectNode().put("Type", "vxlan"));
    }
    if (!n.isObject()) {
      problems.add("Backend: " + abbreviate(n.toString()) + " is not an object");
      return null;
    }
    ObjectNode o = (ObjectNode) n;
    String type = o.path("Type").asText("");
    if (type.isEmpty()) {
      LOG.info("network config Backend has no Type: using vxlan");
      type = "vxlan";
    }
    Set<String> allowed = BACKEND_OPTIONS.get(type);
    if (allowed == null) {
      problems.add("Backend.Type: \"" + type + "\" is not supported (vxlan, host-gw, udp)");
      return null;
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(
            "Backend."
                + f
                + ": option "
                + o.get(f)
                + " is not supported by the "
                + type
                + " backend");
      }
    }
    checkInt(o, "VNI", 0, (1 << 24) - 1, problems);
    checkInt(o, "Port", 1, 65535, problems);
    checkInt(o, "MTU", 576, 65535, problems);
    for (String f : List.of("DirectRouting", "Offloads")) {
      if (o.has(f) && !o.get(f).isBoolean()) {
        problems.add("Backend." + f + ": " + o.get(f) + " is not true or false");
      }
    }
    JsonNode dev = o.get("Device");
    if (dev != null && !(dev.isTextual() && dev.asText().matches("[A-Za-z0-9_.-]{1,15}"))) {
      problems.add(
          "Backend.Device: " + dev + " is not an interface name (1-15 of A-Z a-z 0-9 _ . -)");
    }
    return new BackendConfig(type, o);
  }

  private static void checkInt(ObjectNode o, String f, int lo, int hi, List<String> problems) {
    JsonNode v = o.get(f);
    if (v != null && (!v.isInt() || v.asInt() < lo || v.asInt() > hi)) {
      problems.add("Backend." + f + ": " + v + " is not an integer in [" + lo + ", " + hi + "]");
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
