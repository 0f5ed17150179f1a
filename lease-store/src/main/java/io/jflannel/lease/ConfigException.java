package io.jflannel.lease;

import java.util.List;

/**
 * The network config is invalid. Carries one line per violated rule, each naming the field and the
 * offending value, e.g. {@code SubnetLen: 31 is larger than 30}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /** An exception for one or more problems (at least one). */
  public ConfigException(List<String> problems) {
    super("invalid network config: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every violated rule, one line each. */
  public List<String> problems() {
    return problems;
  }
}
