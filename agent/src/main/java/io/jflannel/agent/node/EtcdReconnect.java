package io.jflannel.agent.node;

import io.jflannel.lease.LeaseRegistry;
import java.time.Duration;

/**
 * Replaces the etcd client's connection when etcd is reachable again (TCP) but calls still fail: a
 * gRPC channel that was down for minutes sits in its reconnect backoff (up to 120 s) long after
 * etcd is back. Used alike by the start path's config wait and by a running node's {@link
 * EtcdWatchdog}, so an agent that started while etcd was down recovers as fast as one that kept
 * running. Not thread-safe (one caller thread).
 */
final class EtcdReconnect {
  static final Duration EVERY = Duration.ofSeconds(5);

  private final LeaseRegistry registry;
  private int failures;
  private long lastMs = Long.MIN_VALUE / 2;

  EtcdReconnect(LeaseRegistry registry) {
    this.registry = registry;
  }

  /** A call answered: the count starts over. */
  void answered() {
    failures = 0;
  }

  /** A call failed at {@code nowMs}: after two in a row, reconnects if etcd is reachable. */
  void failed(long nowMs) {
    failures++;
    if (failures >= 2
        && nowMs - lastMs >= EVERY.toMillis()
        && registry.reachable(Duration.ofMillis(300))) {
      lastMs = nowMs;
      registry.reconnect();
    }
  }
}
