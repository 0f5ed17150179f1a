package io.jflannel.agent.node;

import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.ConfigChange;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.ConfigListener;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.RegistryWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges etcd's health and follows the network config without reading etcd while all is well: the
 * config key is watched ({@link LeaseRegistry#watchConfig}), and the streams the node holds anyway
 * (the lease watch, the config watch, the lease keep-alive; their gRPC connection sends HTTP/2
 * pings) report their failures here. Only after such a failure, and then every {@link #PERIOD}
 * until etcd answers, does it probe with one cheap read of the config key (no retry, no circuit
 * breaker), so etcd's health in the status changes within seconds either way; when etcd answers
 * again, the lease keeper, the lease watch and the config watch retry at once, and when etcd is
 * reachable but the client still fails (a gRPC connection stuck in its reconnect backoff), the
 * client reconnects. A changed network config is taken live when it can be, refused loudly (log,
 * metric, condition) when it cannot. Thread-safe: the loop's ticks and the watch's deliveries
 * serialize on this object.
 */
final class EtcdWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatchdog.class);
  static final Duration PERIOD = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofMillis(900);
  static final Duration DEGRADED_AFTER = Duration.ofSeconds(15);

  private final LeaseRegistry registry;
  private final Lifecycle lc;
  private final AgentMetrics metrics;
  private final LongSupplier clock;
  private final Runnable recovered;
  private NetworkConfig running;
  private String lastRaw;
  private boolean healthy = true;
  private long sinceMs;
  private final EtcdReconnect reconnect;
  private final Executor deliveries;
  private boolean suspect = true; // the first tick probes once: the start may have been offline
  private RegistryWatch configWatch;
  private boolean closed;

  EtcdWatchdog(
      LeaseRegistry registry,
      Lifecycle lc,
      AgentMetrics metrics,
      LongSupplier clock,
      NetworkConfig running,
      Runnable recovered,
      Executor deliveries) {
    this.registry = registry;
    this.lc = lc;
    this.metrics = metrics;
    this.clock = clock;
    this.running = running; // lastRaw null: the first read is always judged (and may clear)
    this.recovered = recovered;
    this.sinceMs = clock.getAsLong();
    this.reconnect = new EtcdReconnect(registry);
    this.deliveries = deliveries;
  }

  /**
   * A stream on the etcd connection failed (a watch, a keep-alive): the next tick probes, and keeps
   * probing until etcd answers.
   */
  synchronized void suspect() {
    suspect = true;
  }

  /** Every {@link #PERIOD}: nothing while etcd is trusted, else one probe. */
  synchronized void tick() {
    if (closed) {
      return;
    }
    if (!suspect && healthy) {
      if (configWatch == null) {
        watchConfig();
      }
      return;
    }
    long now = clock.getAsLong();
    Optional<String> raw;
    try {
      raw = registry.probe(TIMEOUT);
    } catch (LeaseStoreException e) {
      failed(now, e);
      return;
    } catch (RuntimeException e) {
      LOG.warn("etcd probe: {}", e.toString());
      return;
    }
    reconnect.answered();
    suspect = false;
    if (!healthy) {
      LOG.info("etcd answers again (after {} s)", (now - sinceMs) / 1000);
      healthy = true;
      sinceMs = now;
    }
    recovered.run(); // the keeper and the lease watch retry now if they wait in a backoff
    if (configWatch == null) {
      watchConfig();
    }
    metrics.etcdHealthy.set(1);
    lc.update(s -> s.with(new StatusSnapshot.EtcdInfo(true, sinceMs, "")));
    lc.condition("etcd", null);
    config(raw);
  }

  private void failed(long now, LeaseStoreException e) {
    if (healthy) {
      healthy = false;
      sinceMs = now;
      LOG.warn(
          "etcd does not answer: {} (see docs/troubleshooting.md#etcd-unreachable)",
          e.getMessage());
    }
    metrics.etcdHealthy.set(0);
    String error = e.getMessage();
    lc.update(s -> s.with(new StatusSnapshot.EtcdInfo(false, sinceMs, error)));
    long down = now - sinceMs;
    if (down >= DEGRADED_AFTER.toMillis()) {
      lc.condition(
          "etcd",
          "unreachable for "
              + down / 1000
              + " s (the data path keeps forwarding; the lease is renewed when it returns): "
              + error);
    }
    reconnect.failed(now);
  }

  /** Starts following the config key; its deliveries run on the loop's executor. */
  private void watchConfig() {
    RegistryWatch[] self = new RegistryWatch[1];
    self[0] =
        registry.watchConfig(
            new ConfigListener() {
              @Override
              public void onConfig(Optional<String> raw) {
                deliver(() -> config(raw));
              }

              @Override
              public void onError(Throwable error) {
                deliver(
                    () -> {
                      LOG.debug("config watch ended: {}", error.toString());
                      if (configWatch == self[0]) {
                        configWatch = null;
                        suspect = true;
                      }
                    });
              }
            });
    configWatch = self[0]; // deliveries take this lock: they see it set
  }

  private void deliver(Runnable r) {
    try {
      deliveries.execute(
          () -> {
            synchronized (this) {
              if (!closed) {
                r.run();
              }
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the node is closing
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (configWatch != null) {
      configWatch.close();
      configWatch = null;
    }
  }

  /** A config read from etcd: unchanged, taken live, or refused with a condition. */
  private void config(Optional<String> raw) {
    if (raw.isEmpty()) {
      lc.condition(
          "config",
          "the network config key is gone from etcd: running on the config read at start");
      lastRaw = null;
      return;
    }
    if (raw.get().equals(lastRaw)) {
      return;
    }
    lastRaw = raw.get();
    NetworkConfig fresh;
    try {
      fresh = NetworkConfigs.parse(raw.get());
    } catch (ConfigException e) {
      metrics.configRefused.inc();
      lc.condition(
          "config",
          "the network config in etcd is invalid ("
              + e.getMessage()
              + "): running on the last valid one (see docs/troubleshooting.md#config-refused)");
      return;
    }
    if (!raw.get().equals(running.json())) { // the start already logged the warnings of that one
      fresh.warnings().forEach(w -> LOG.warn("network config: {}", w));
    }
    ConfigChange change = ConfigChange.between(running, fresh);
    if (change.live()) {
      if (!change.none()) {
        LOG.info("network config changed ({}): taken as it is", change.describe());
      }
      running = fresh;
      lc.condition("config", null);
      return;
    }
    metrics.configRefused.inc();
    lc.condition(
        "config",
        "the network config in etcd changed ("
            + change.describe()
            + (change.movesNode()
                ? ") and would move this node: not applied; it keeps its subnet and the previous"
                    + " config, also across restarts; restart with --allow-network-change to move"
                    + " it (its pods lose connectivity)"
                : !running.backend().equals(fresh.backend())
                    ? "): a backend change is not applied, also across restarts; restart every"
                        + " node with --allow-network-change to switch"
                    : "): not applied while running; restart the agent to apply it")
            + " (see docs/troubleshooting.md#config-refused)");
  }
}
