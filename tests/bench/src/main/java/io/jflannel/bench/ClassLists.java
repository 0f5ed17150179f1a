package io.jflannel.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Class lists written by {@code -XX:DumpLoadedClassList}, merged: one JVM writes one list, and the
 * one class-data archive serves the agent and jflanctl's commands, each a JVM of its own.
 */
final class ClassLists {
  private ClassLists() {}

  /**
   * The union of {@code lists} in first-seen order: each class once, renumbered (the ids of the
   * built-in loaders' classes only have to be unique; a custom loader's class, which refers to
   * others by id, is refused), and each {@code @lambda-proxy} / {@code @lambda-form-invoker} line
   * once, after the classes of the list it came from.
   */
  static List<String> merge(List<List<String>> lists) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> out = new ArrayList<>();
    for (List<String> list : lists) {
      for (String line : list) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (line.contains(" source: ")) {
          throw new IllegalArgumentException("a custom class loader's class: " + line);
        }
        int id = line.indexOf(" id: ");
        String key = id < 0 ? line : line.substring(0, id);
        if (seen.add(key)) {
          out.add(id < 0 ? line : key + " id: " + seen.size());
        }
      }
    }
    return out;
  }
}
