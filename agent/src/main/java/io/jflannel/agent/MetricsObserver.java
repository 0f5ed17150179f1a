package io.jflannel.agent;

import io.jflannel.lease.RegistryObserver;

/** Feeds registry health into the agent's metrics and status. */
final class MetricsObserver implements RegistryObserver {
  private final AgentMetrics m;
  private final AgentStatus status;

  MetricsObserver(AgentMetrics m, AgentStatus status) {
    this.m = m;
    this.status = status;
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
    status.etcdFailed(operation, cause);
  }

  @Override
  public void circuitState(String from, String to) {
    status.circuit = to;
  }
}
