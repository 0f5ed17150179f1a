package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsString;
import com.fasterxml.jackson.jr.stree.JrsValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Backend} object of a network config, read as flanneld reads it: field names
 * case-insensitive, the type lower-cased, options of the type's struct checked for their JSON type,
 * options it does not know warned about and ignored. Produces the options under canonical names.
 */
final class BackendConfigParser {
  /** Options per type, canonical spelling (flanneld's, plus jflannel's udp extras). */
  private static final Map<String, List<String>> OPTIONS =
      Map.of(
          "vxlan", List.of("VNI", "Port", "MTU", "GBP", "Learning", "DirectRouting"),
          "host-gw", List.of(),
          "udp", List.of("Port", "Offloads", "Device"),
          "alloc", List.of());

  private static final Set<String> WINDOWS_ONLY = Set.of("MacPrefix", "Name");
  private static final Set<String> FLANNEL_ONLY =
      Set.of("wireguard", "ipsec", "ipip", "tencent-vpc", "extension", "aws-vpc", "gce", "ali-vpc");

  private BackendConfigParser() {}

  static BackendConfig parse(JrsValue n, List<String> problems, List<String> warnings) {
    if (n == null) {
      warnings.add(
          "Backend is missing: using udp, as flanneld does; set Backend.Type (e.g."
              + " {\"Type\":\"vxlan\"}) so that every node agrees");
      return new BackendConfig("udp", Json.object("Type", "udp"));
    }
    if (!n.isObject()) {
      problems.add(
          "Backend: " + NetworkConfigParser.abbreviate(Json.write(n)) + " is not an object");
      return null;
    }
    JsonFields f = new JsonFields((JrsObject) n);
    String t = Json.text(f.get("Type"));
    if (t == null || t.isEmpty()) {
      problems.add("Backend.Type: missing (vxlan, host-gw, udp or alloc)");
      return null;
    }
    String type = t.toLowerCase(Locale.ROOT);
    List<String> allowed = OPTIONS.get(type);
    if (allowed == null) {
      problems.add(
          "Backend.Type: \""
              + t
              + "\" is not supported"
              + (FLANNEL_ONLY.contains(type) ? " by jflannel" : "")
              + " (vxlan, host-gw, udp, alloc)");
      return null;
    }
    Map<String, JrsValue> out = new LinkedHashMap<>();
    out.put("Type", new JrsString(type));
    java.util.Set<String> known = new java.util.HashSet<>(allowed);
    known.add("Type");
    for (String u : f.unknown(known)) {
      boolean windows = WINDOWS_ONLY.stream().anyMatch(w -> w.equalsIgnoreCase(u));
      warnings.add(
          "Backend."
              + u
              + (windows
                  ? " is a Windows-only option"
                  : " is not an option of the " + type + " backend")
              + ": ignored, as flanneld ignores it");
    }
    for (String o : allowed) {
      JrsValue v = f.get(o);
      if (v != null) {
        out.put(o, v);
      }
    }
    checkInt(out, "VNI", 0, (1 << 24) - 1, problems);
    checkInt(out, "Port", 0, 65535, problems);
    checkInt(out, "MTU", 0, 65535, problems);
    int mtu = Json.intValue(out.get("MTU"), 0);
    if ("vxlan".equals(type) && mtu != 0 && mtu < 126) {
      problems.add("Backend.MTU: " + mtu + " leaves no room for the 50 bytes of VXLAN");
    }
    for (String b : List.of("GBP", "Learning", "DirectRouting", "Offloads")) {
      if (out.containsKey(b) && !Json.isBoolean(out.get(b))) {
        problems.add("Backend." + b + ": " + Json.write(out.get(b)) + " is not true or false");
      }
    }
    JrsValue dev = out.get("Device");
    String name = Json.text(dev);
    if (dev != null && !(name != null && name.matches("[A-Za-z0-9_.-]{1,15}"))) {
      problems.add(
          "Backend.Device: "
              + Json.write(dev)
              + " is not an interface name (1-15 of A-Z a-z 0-9 _ . -)");
    }
    return new BackendConfig(type, Json.object(out));
  }

  private static void checkInt(
      Map<String, JrsValue> o, String f, int lo, int hi, List<String> problems) {
    JrsValue v = o.get(f);
    int i = Json.intValue(v, lo - 1);
    if (v != null && (!Json.isInt(v) || i < lo || i > hi)) {
      problems.add(
          "Backend." + f + ": " + Json.write(v) + " is not an integer in [" + lo + ", " + hi + "]");
    }
  }
}
