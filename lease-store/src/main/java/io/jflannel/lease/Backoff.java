package io.jflannel.lease;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Retry delays of one caller: Resilience4j's exponential interval function (doubling from {@code
 * first}, capped at {@code cap}) with full jitter, a uniform pick between {@link #FLOOR} and the
 * exponential delay. Every node retries after an etcd outage at its own instants, so a fleet's
 * reconnects spread over the whole window instead of arriving in the same rhythm. Not thread-safe:
 * one per retrying loop.
 */
public final class Backoff {
  /** The shortest delay: a retry never spins. */
  public static final Duration FLOOR = Duration.ofMillis(10);

  private final IntervalFunction exponential;
  private final LongUnaryOperator pick;
  private int attempt;

  /** Full jitter from a thread-local random source. */
  public Backoff(Duration first, Duration cap) {
    this(first, cap, bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  /**
   * @param pick a uniform pick in {@code [0, bound)}
   */
  Backoff(Duration first, Duration cap, LongUnaryOperator pick) {
    this.exponential = IntervalFunction.ofExponentialBackoff(first, 2.0, cap);
    this.pick = pick;
  }

  /** The delay before the next attempt (the first after a success is at most {@code first}). */
  public Duration next() {
    attempt = Math.min(attempt + 1, 62);
    long ceiling = exponential.apply(attempt);
    long floor = FLOOR.toMillis();
    return Duration.ofMillis(
        ceiling <= floor ? ceiling : floor + pick.applyAsLong(ceiling - floor + 1));
  }

  /** An attempt succeeded: the next failure starts from {@code first} again. */
  public void reset() {
    attempt = 0;
  }

  /** Failed attempts since the last {@link #reset}. */
  public int attempts() {
    return attempt;
  }
}
