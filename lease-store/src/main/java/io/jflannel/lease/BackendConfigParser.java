package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsString;
import com.fasterxml.jackson.jr.stree.JrsValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Backend} object of a network config, as far as flannel's format goes: an object with a
 * {@code Type} (its name read case-insensitively and lower-cased, as flanneld reads it). The
 * options are kept as written; which options a type has, their defaults and their rules are the
 * backend's own ({@code BackendFactory.options()} in backends/common, applied by {@code
 * BackendConfigCheck}), so lease-store knows no backend.
 */
final class BackendConfigParser {
  /**
   * The type flanneld's {@code parseBackendType} assumes when the config has no Backend at all: a
   * fact of flannel's config format, not a choice of ours.
   */
  static final String FLANNEL_DEFAULT_TYPE = "udp";

  private BackendConfigParser() {}

  static BackendConfig parse(JrsValue n, List<String> problems, List<String> warnings) {
    if (n == null) {
      warnings.add(
          "Backend is missing: using "
              + FLANNEL_DEFAULT_TYPE
              + ", as flanneld does; set Backend.Type (e.g. {\"Type\":\"vxlan\"}) so that every"
              + " node agrees");
      return new BackendConfig(FLANNEL_DEFAULT_TYPE, Json.object("Type", FLANNEL_DEFAULT_TYPE));
    }
    if (!n.isObject()) {
      problems.add(
          "Backend: " + NetworkConfigParser.abbreviate(Json.write(n)) + " is not an object");
      return null;
    }
    JsonFields f = new JsonFields((JrsObject) n);
    String t = Json.text(f.get("Type"));
    if (t == null || t.isEmpty()) {
      problems.add("Backend.Type: missing (the name of a backend, e.g. \"vxlan\")");
      return null;
    }
    String type = t.toLowerCase(Locale.ROOT);
    Map<String, JrsValue> out = new LinkedHashMap<>();
    for (var it = ((JrsObject) n).fields(); it.hasNext(); ) {
      var e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    out.keySet().removeIf(k -> k.equalsIgnoreCase("Type"));
    Map<String, JrsValue> withType = new LinkedHashMap<>();
    withType.put("Type", new JrsString(type));
    withType.putAll(out);
    return new BackendConfig(type, Json.object(withType));
  }
}
