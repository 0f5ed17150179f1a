package io.jflannel.agent.metrics;

import io.jflannel.lease.RegistryObserver;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * Feeds the registry's requests (their duration by operation), retries, errors and malformed values
 * into the agent's metrics.
 */
public final class MetricsObserver implements RegistryObserver {
  private final AgentMetrics m;
  private final Histogram requests;

  public MetricsObserver(AgentMetrics m) {
    this.m = m;
    this.requests =
        Histogram.builder()
            .name("jflannel_etcd_request_duration_seconds")
            .help("etcd requests by operation and result, retries included")
            .labelNames("operation", "result")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .withoutExemplars()
            .register(m.registry);
  }

  @Override
  public void request(String operation, long nanos, boolean ok) {
    requests.labelValues(operation, ok ? "ok" : "error").observe(nanos / 1e9);
  }

  @Override
  public void malformedLease(String key, String reason) {
    m.malformed.inc();
  }

  @Override
  public void retry(String operation, int attempt, Throwable cause) {
    m.etcdRetries.inc();
  }

  @Override
  public void error(String operation, Throwable cause) {
    m.etcdErrors.inc();
  }
}
