package io.jflannel.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.stree.JrSimpleTreeExtension;
import com.fasterxml.jackson.jr.stree.JrsBoolean;
import com.fasterxml.jackson.jr.stree.JrsNull;
import com.fasterxml.jackson.jr.stree.JrsNumber;
import com.fasterxml.jackson.jr.stree.JrsObject;
import com.fasterxml.jackson.jr.stree.JrsString;
import com.fasterxml.jackson.jr.stree.JrsValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON as jflannel reads and writes it, on jackson-jr: documents are read into its tree ({@link
 * JrsValue}; objects keep their key order, values compare deeply), and written from such trees or
 * from plain maps, lists, strings, numbers and booleans, null values included. jackson-jr loads
 * about 110 classes where jackson-databind's mapper loads some 420 (their metadata is resident in
 * every agent and jflanctl process), and it needs no warm-up; the text it writes is the same.
 */
public final class Json {
  private static final JSON COMPACT =
      JSON.builder()
          .register(new JrSimpleTreeExtension())
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
          .build();
  private static final JSON PRETTY = COMPACT.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

  private Json() {}

  /**
   * Parses one JSON value (what follows it is ignored); null for blank text.
   *
   * @throws IllegalArgumentException with the parser's message (position included) when the text is
   *     not JSON
   */
  public static JrsValue parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return COMPACT.treeFrom(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    } catch (IOException e) { // a String has no I/O to fail
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON text of a tree, map, list or scalar. */
  public static String write(Object value) {
    return write(COMPACT, value);
  }

  /** Indented JSON text (two spaces, {@code "key" : value}), without a final newline. */
  public static String pretty(Object value) {
    return write(PRETTY, value);
  }

  private static String write(JSON json, Object value) {
    try {
      return json.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON of " + value.getClass().getName(), e);
    }
  }

  /** True for null, JSON null and an absent node. */
  public static boolean isNull(JrsValue v) {
    return v == null || v.isNull() || v.isMissingNode();
  }

  /** The value of a JSON string, or null for anything else. */
  public static String text(JrsValue v) {
    return v instanceof JrsString s ? s.getValue() : null;
  }

  /** True for a JSON integer in Java's int range (Go: fits the field's int). */
  public static boolean isInt(JrsValue v) {
    return v instanceof JrsNumber n && n.getValue() instanceof Integer;
  }

  /** The int of {@link #isInt} numbers; {@code fallback} for anything else. */
  public static int intValue(JrsValue v, int fallback) {
    return isInt(v) ? ((JrsNumber) v).getValue().intValue() : fallback;
  }

  /** True for JSON true and false. */
  public static boolean isBoolean(JrsValue v) {
    return v instanceof JrsBoolean;
  }

  /** JSON true; false for anything else. */
  public static boolean isTrue(JrsValue v) {
    return v instanceof JrsBoolean b && b.booleanValue();
  }

  /**
   * A JSON object of {@code fields} in their order: values are trees, strings, numbers, booleans or
   * null.
   */
  public static JrsObject object(Map<String, ?> fields) {
    Map<String, JrsValue> out = new LinkedHashMap<>();
    fields.forEach((k, v) -> out.put(k, value(v)));
    return new JrsObject(out);
  }

  /** A JSON object of alternating keys and values ({@link #object(Map)}). */
  public static JrsObject object(Object... keysAndValues) {
    return object(fields(keysAndValues));
  }

  /**
   * A map of alternating keys and values in their order, to add to and then {@link #write}: the
   * values may be anything {@link #write} takes.
   */
  public static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static JrsValue value(Object v) {
    if (v == null) {
      return JrsNull.instance();
    }
    if (v instanceof JrsValue t) {
      return t;
    }
    if (v instanceof String s) {
      return new JrsString(s);
    }
    if (v instanceof Number n) {
      return new JrsNumber(n);
    }
    if (v instanceof Boolean b) {
      return b ? JrsBoolean.TRUE : JrsBoolean.FALSE;
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }
}
