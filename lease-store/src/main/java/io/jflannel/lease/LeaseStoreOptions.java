package io.jflannel.lease;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Timing of the lease policy.
 *
 * @param leaseTtl lifetime of a lease (flannel: 24 h)
 * @param renewMargin renew this long before expiry (flannel: 60 min); at most half the TTL is used
 * @param configRetry how often to look again for a missing network config
 * @param watchBackoffMin first reconnect delay of a failed watch
 * @param watchBackoffMax longest reconnect delay
 * @param random source of the random subnet pick
 */
public record LeaseStoreOptions(
    Duration leaseTtl,
    Duration renewMargin,
    Duration configRetry,
    Duration watchBackoffMin,
    Duration watchBackoffMax,
    RandomGenerator random) {

  /** flannel's defaults. */
  public static LeaseStoreOptions defaults() {
    return new LeaseStoreOptions(
        Duration.ofHours(24),
        Duration.ofMinutes(60),
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        new java.security.SecureRandom());
  }

  /** A copy with another TTL and margin. */
  public LeaseStoreOptions withTtl(Duration ttl, Duration margin) {
    return new LeaseStoreOptions(
        ttl, margin, configRetry, watchBackoffMin, watchBackoffMax, random);
  }

  /** A copy with another config retry interval. */
  public LeaseStoreOptions withConfigRetry(Duration d) {
    return new LeaseStoreOptions(
        leaseTtl, renewMargin, d, watchBackoffMin, watchBackoffMax, random);
  }

  /** When to renew a lease that was just written: TTL minus margin, but never later than TTL/2. */
  public Duration renewAfter() {
    Duration half = leaseTtl.dividedBy(2);
    Duration byMargin = leaseTtl.minus(renewMargin);
    return byMargin.compareTo(half) < 0 || byMargin.isNegative() ? half : byMargin;
  }
}
