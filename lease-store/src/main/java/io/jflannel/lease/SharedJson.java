package io.jflannel.lease;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The process's one Jackson mapper (thread-safe, never reconfigured). Building one loads some 370
 * classes (about 35 ms at start), and each instance keeps its own caches: the agent builds it once,
 * off its start path ({@link #warmUp()}). Refer to {@link #MAPPER} where it is used, not from a
 * static field of another class, so that loading that class does not build it.
 */
public final class SharedJson {
  /** The mapper. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private SharedJson() {}

  /** Builds the mapper now (on the calling thread) if it is not built yet. */
  public static void warmUp() {
    MAPPER.getFactory();
  }
}
