package io.jflannel.agent.metrics;

import io.jflannel.lease.RegistryObserver;

/** Feeds the registry's retries, errors and malformed values into the agent's metrics. */
public final class MetricsObserver implements RegistryObserver {
  private final AgentMetrics m;

  public MetricsObserver(AgentMetrics m) {
    this.m = m;
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
