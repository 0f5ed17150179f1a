package io.jflannel.lease;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jflannel.net.Ipv4Address;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = SharedJson.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("PublicIP", a.publicIp().toString());
      if (a.publicIpv6() == null) {
        g.writeNullField("PublicIPv6");
      } else {
        g.writeStringField("PublicIPv6", a.publicIpv6());
      }
      if (a.backendType() != null && !a.backendType().isEmpty()) {
        g.writeStringField("BackendType", a.backendType());
      }
      if (a.backendData() != null) {
        g.writeFieldName("BackendData");
        SharedJson.MAPPER.writeTree(g, a.backendData());
      }
      if (a.backendV6Data() != null) {
        g.writeFieldName("BackendV6Data");
        SharedJson.MAPPER.writeTree(g, a.backendV6Data());
      }
      for (Map.Entry<String, JsonNode> e : a.extra().entrySet()) {
        g.writeFieldName(e.getKey());
        SharedJson.MAPPER.writeTree(g, e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static LeaseAttrs read(String json) {
    JsonNode root;
    try {
      root = SharedJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("lease is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("lease is not a JSON object");
    }
    JsonNode ip = root.get("PublicIP");
    if (ip == null || !ip.isTextual()) {
      throw new IllegalArgumentException("lease has no PublicIP string");
    }
    Ipv4Address publicIp = Ipv4Address.parse(ip.asText());
    JsonNode v6 = root.get("PublicIPv6");
    JsonNode type = root.get("BackendType");
    if (type != null && !type.isNull() && !type.isTextual()) {
      throw new IllegalArgumentException("lease BackendType is not a string: " + type);
    }
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!KNOWN.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    }
    return new LeaseAttrs(
        publicIp,
        v6 == null || v6.isNull() ? null : v6.asText(),
        type == null || type.isNull() ? null : type.asText(),
        root.get("BackendData"),
        extra,
        root.get("BackendV6Data"));
  }
}
