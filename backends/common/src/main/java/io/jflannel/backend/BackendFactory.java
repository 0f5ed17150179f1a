package io.jflannel.backend;

import java.util.Optional;
import java.util.ServiceLoader;

/** Creates backends of one type; registered in META-INF/services. */
public interface BackendFactory {
  /** The config's Backend.Type this factory serves. */
  String type();

  /** A backend for this node. */
  Backend create(BackendContext context);

  /** The factory of a type among those on the class path. */
  static Optional<BackendFactory> find(String type) {
    for (BackendFactory f : ServiceLoader.load(BackendFactory.class)) {
      if (f.type().equals(type)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
