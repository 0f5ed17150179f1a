package io.jflannel.agent;

import io.jflannel.backend.Backend;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Lease;
import io.jflannel.lease.NetworkConfig;
import java.util.function.Supplier;

/**
 * What the admin API reports, filled in by the agent as it starts: every field is null or zero
 * until the agent gets there, so that {@code jflanctl status} also works while it waits.
 */
final class AgentStatus {
  final long startedMs = System.currentTimeMillis();
  volatile ExternalInterface ext;
  volatile NetworkConfig config;
  volatile Backend backend;
  volatile Lease own;
  volatile PeerSync sync;
  volatile Iptables iptables;
  volatile long leaseExpiresUnix;
  volatile long lastReconcileMs;
  volatile int lastReconcileRepairs;
  volatile String etcdError;
  volatile long etcdErrorMs;
  volatile String circuit = "CLOSED";
  private final Supplier<String> notReady;

  /** {@code notReady} says why the agent is not ready, or null when it is. */
  AgentStatus(Supplier<String> notReady) {
    this.notReady = notReady;
  }

  /** Null when ready, else why not. */
  String notReady() {
    return notReady.get();
  }

  /** etcd answered lately: no failed call in the last 15 s and the circuit breaker closed. */
  boolean etcdHealthy() {
    return "CLOSED".equals(circuit) && System.currentTimeMillis() - etcdErrorMs > 15_000;
  }

  void etcdFailed(String operation, Throwable cause) {
    etcdError = operation + ": " + cause.getMessage();
    etcdErrorMs = System.currentTimeMillis();
  }

  void reconciled(int repairs) {
    lastReconcileRepairs = repairs;
    lastReconcileMs = System.currentTimeMillis();
  }
}
