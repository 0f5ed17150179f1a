package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object read the way Go's {@code encoding/json} fills a struct, as flanneld reads its
 * config: a field name matches its key exactly, or else case-insensitively ({@code "network"} is
 * {@code Network}); keys that match no field are unknown (flanneld ignores them).
 */
final class JsonFields {
  private final JrsObject object;

  JsonFields(JrsObject object) {
    this.object = object;
  }

  /** The value of field {@code name}, or null when absent (JSON null counts as absent). */
  JrsValue get(String name) {
    JrsValue exact = object.get(name);
    if (exact != null) {
      return exact.isNull() ? null : exact;
    }
    JrsValue found = null;
    for (Iterator<Map.Entry<String, JrsValue>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JrsValue> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        found = e.getValue(); // like Go: the last of several case variants wins
      }
    }
    return found == null || found.isNull() ? null : found;
  }

  /** Keys that match none of {@code known}, in order. */
  List<String> unknown(Set<String> known) {
    List<String> out = new ArrayList<>();
    Set<String> lower = new java.util.HashSet<>();
    known.forEach(k -> lower.add(k.toLowerCase(Locale.ROOT)));
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!lower.contains(k.toLowerCase(Locale.ROOT))) {
        out.add(k);
      }
    }
    return out;
  }

  /** A string's value, or the JSON text of any other value (for parsing and for messages). */
  static String asText(JrsValue v) {
    String s = Json.text(v);
    return s != null ? s : Json.write(v);
  }
}
