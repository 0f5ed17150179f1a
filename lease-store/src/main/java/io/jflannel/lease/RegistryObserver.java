package io.jflannel.lease;

/**
 * Hooks for metrics and logs on the registry's health. All methods have no-op defaults and must not
 * block.
 */
public interface RegistryObserver {

  /** A no-op observer. */
  RegistryObserver NONE = new RegistryObserver() {};

  /** A value under {@code subnets/} was skipped as malformed. */
  default void malformedLease(String key, String reason) {}

  /** A store call is retried after a failure. */
  default void retry(String operation, int attempt, Throwable cause) {}

  /**
   * A store call ended, retries included: its operation ({@code get}, {@code put}, {@code list},
   * {@code create}, {@code update}, {@code delete}, {@code grant}, {@code renew}, ...), how long it
   * took and whether it succeeded.
   */
  default void request(String operation, long nanos, boolean ok) {}

  /** A store call failed for good (after retries, or the circuit was open). */
  default void error(String operation, Throwable cause) {}

  /** The circuit breaker around store calls changed state (CLOSED, OPEN, HALF_OPEN, ...). */
  default void circuitState(String from, String to) {}

  /** A watch delivered events (count may be 0 for progress notifications). */
  default void watchEvents(int count) {}

  /** A watch was restarted after an error or a compaction. */
  default void watchRestarted(String why) {}
}
