package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsValue;
import java.util.Map;

/**
 * The {@code Backend} object of the network config: a type and its options as written. Option names
 * are read case-insensitively, as flanneld reads JSON field names; which options a type has and
 * their defaults are the backend's to say.
 *
 * @param type the backend's name, lower-cased ({@code vxlan}, {@code host-gw}, ...)
 * @param options the Backend object ({@code Type} first, the options as written)
 */
public record BackendConfig(String type, JrsObject options) {

  /** No options: an empty object. */
  public BackendConfig {
    options = options == null ? Json.object(Map.of()) : options;
  }

  /** The value of option {@code name} (any case), or null. */
  public JrsValue option(String name) {
    JrsValue exact = options.get(name);
    if (exact != null) {
      return exact;
    }
    for (var it = options.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** An option as an int, or {@code fallback} when absent (or not an int). */
  public int intOption(String name, int fallback) {
    return Json.intValue(option(name), fallback);
  }

  /** An option as text, or {@code fallback} when absent (or not a string). */
  public String textOption(String name, String fallback) {
    String s = Json.text(option(name));
    return s == null ? fallback : s;
  }

  /** An option as a boolean, or {@code fallback} when absent (or not a boolean). */
  public boolean boolOption(String name, boolean fallback) {
    JrsValue n = option(name);
    return Json.isBoolean(n) ? Json.isTrue(n) : fallback;
  }
}
