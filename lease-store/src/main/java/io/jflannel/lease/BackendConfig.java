package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsValue;
import java.util.Map;

/**
 * The {@code Backend} object of the network config: a type and its options (already validated and
 * defaulted by {@link NetworkConfig#parse}).
 *
 * @param type {@code vxlan}, {@code host-gw}, {@code udp} or {@code alloc}
 * @param options the Backend's options under their canonical names (and {@code Type}), defaults not
 *     merged; options the type does not know are not kept
 */
public record BackendConfig(String type, JrsObject options) {

  /** No options: an empty object. */
  public BackendConfig {
    options = options == null ? Json.object(Map.of()) : options;
  }

  /** An option as an int, or {@code fallback} when absent (or not an int). */
  public int intOption(String name, int fallback) {
    return Json.intValue(options.get(name), fallback);
  }

  /** An option as text, or {@code fallback} when absent (or not a string). */
  public String textOption(String name, String fallback) {
    String s = Json.text(options.get(name));
    return s == null ? fallback : s;
  }

  /** An option as a boolean, or {@code fallback} when absent (or not a boolean). */
  public boolean boolOption(String name, boolean fallback) {
    JrsValue n = options.get(name);
    return Json.isBoolean(n) ? Json.isTrue(n) : fallback;
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
}
