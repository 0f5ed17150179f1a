package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.net.Ipv4Address;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Byte-compatible with flannel's Go encoding of {@code LeaseAttrs}: compact, fields in the order
 * PublicIP, PublicIPv6 (always, null when unset), BackendType (omitted when empty), BackendData and
 * BackendV6Data (each omitted when absent), then unknown fields as they came.
 */
final class LeaseJson {
  private static final Set<String> KNOWN =
      Set.of("PublicIP", "PublicIPv6", "BackendType", "BackendData", "BackendV6Data");

  private LeaseJson() {}

  static String write(LeaseAttrs a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("PublicIP", a.publicIp().toString());
    out.put("PublicIPv6", a.publicIpv6());
    if (a.backendType() != null && !a.backendType().isEmpty()) {
      out.put("BackendType", a.backendType());
    }
    if (a.backendData() != null) {
      out.put("BackendData", a.backendData());
    }
    if (a.backendV6Data() != null) {
      out.put("BackendV6Data", a.backendV6Data());
    }
    a.extra().forEach(out::putIfAbsent);
    return Json.write(out);
  }

  static LeaseAttrs read(String json) {
    JrsValue parsed;
    try {
      parsed = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lease is not valid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof JrsObject root)) {
      throw new IllegalArgumentException("lease is not a JSON object");
    }
    String ip = Json.text(root.get("PublicIP"));
    if (ip == null) {
      throw new IllegalArgumentException("lease has no PublicIP string");
    }
    Ipv4Address publicIp = Ipv4Address.parse(ip);
    JrsValue v6 = root.get("PublicIPv6");
    JrsValue type = root.get("BackendType");
    if (!Json.isNull(type) && Json.text(type) == null) {
      throw new IllegalArgumentException("lease BackendType is not a string: " + Json.write(type));
    }
    Map<String, JrsValue> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JrsValue>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JrsValue> e = it.next();
      if (!KNOWN.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    }
    return new LeaseAttrs(
        publicIp,
        Json.isNull(v6) ? null : JsonFields.asText(v6),
        Json.text(type),
        root.get("BackendData"),
        extra,
        root.get("BackendV6Data"));
  }
}
