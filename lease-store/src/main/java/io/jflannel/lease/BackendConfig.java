package io.jflannel.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code Backend} object of the network config: a type and its options (already validated and
 * defaulted by {@link NetworkConfig#parse}).
 *
 * @param type {@code vxlan}, {@code host-gw}, {@code udp} or {@code alloc}
 * @param options the Backend's options under their canonical names (and {@code Type}), defaults not
 *     merged; options the type does not know are not kept
 */
public record BackendConfig(String type, ObjectNode options) {

  /** Defensive copy. */
  public BackendConfig {
    options = options == null ? JsonNodeFactory.instance.objectNode() : options.deepCopy();
  }

  /** An option as an int, or {@code fallback} when absent. */
  public int intOption(String name, int fallback) {
    JsonNode n = options.get(name);
    return n == null || n.isNull() ? fallback : n.asInt();
  }

  /** An option as text, or {@code fallback} when absent. */
  public String textOption(String name, String fallback) {
    JsonNode n = options.get(name);
    return n == null || n.isNull() ? fallback : n.asText();
  }

  /** An option as a boolean, or {@code fallback} when absent. */
  public boolean boolOption(String name, boolean fallback) {
    JsonNode n = options.get(name);
    return n == null || n.isNull() ? fallback : n.asBoolean();
  }

  /** The vxlan VNI (default 1). */
  public int vni() {
    return intOption("VNI", 1);
  }

  /** The UDP port of vxlan (default 8472) or udp (default 8285), 0 (absent) meaning the default. */
  public int port() {
    int p = intOption("Port", 0);
    return switch (type) {
      case "vxlan" -> p == 0 ? 8472 : p;
      case "udp" -> p == 0 ? 8285 : p;
      default -> 0;
    };
  }

  @Override
  public ObjectNode options() {
    return options.deepCopy();
  }
}
