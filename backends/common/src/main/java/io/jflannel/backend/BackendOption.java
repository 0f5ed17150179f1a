package io.jflannel.backend;

import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.lease.Json;

/**
 * One option a backend takes in the network config's {@code Backend} object, and the rule its value
 * follows (flanneld's JSON types).
 *
 * @param name the canonical spelling (flanneld's; read case-insensitively)
 * @param kind what the value must be
 * @param min least value of an INT
 * @param max greatest value of an INT
 */
public record BackendOption(String name, Kind kind, long min, long max) {

  /** The JSON type of a value. */
  public enum Kind {
    /** true or false. */
    BOOL,
    /** an integer in [min, max]. */
    INT,
    /** an interface name: 1-15 of A-Z a-z 0-9 _ . - */
    INTERFACE_NAME
  }

  /** A boolean option. */
  public static BackendOption bool(String name) {
    return new BackendOption(name, Kind.BOOL, 0, 0);
  }

  /** An integer option in [min, max]. */
  public static BackendOption integer(String name, long min, long max) {
    return new BackendOption(name, Kind.INT, min, max);
  }

  /** An interface-name option. */
  public static BackendOption interfaceName(String name) {
    return new BackendOption(name, Kind.INTERFACE_NAME, 0, 0);
  }

  /** Why {@code v} is not a value of this option, or null. */
  public String problem(JrsValue v) {
    String at = "Backend." + name + ": " + Json.write(v);
    return switch (kind) {
      case BOOL -> Json.isBoolean(v) ? null : at + " is not true or false";
      case INT -> {
        long i = Json.isInt(v) ? Json.intValue(v, 0) : Long.MIN_VALUE;
        yield i >= min && i <= max ? null : at + " is not an integer in [" + min + ", " + max + "]";
      }
      case INTERFACE_NAME -> {
        String t = Json.text(v);
        yield t != null && t.matches("[A-Za-z0-9_.-]{1,15}")
            ? null
            : at + " is not an interface name (1-15 of A-Z a-z 0-9 _ . -)";
      }
    };
  }
}
