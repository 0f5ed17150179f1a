package io.jflannel.agent.node;

/**
 * Where an agent is in its life (docs/architecture.md, "lifecycle"). The states in which the node
 * forwards pod traffic as programmed are {@link #OFFLINE}, {@link #READY} and {@link #DEGRADED}.
 */
public enum AgentState {
  /** Flags read, sockets opening. */
  STARTING,
  /** etcd answered nothing usable yet (no config key, or etcd unreachable). */
  WAITING_FOR_CONFIG,
  /** etcd unreachable at start: programmed from the last-known-good local state meanwhile. */
  OFFLINE,
  /** Config known: taking (or keeping) this node's subnet. */
  ACQUIRING,
  /** Lease held, subnet.env written: programming the first peer snapshot. */
  PROGRAMMING,
  /** Programmed and in step with etcd. */
  READY,
  /** Running, but something is wrong (see the reasons): a device, kernel writes, etcd, config. */
  DEGRADED,
  /** SIGTERM: no kernel write from here on; lease and kernel state are kept. */
  STOPPING;

  /** True in the states where the node is programmed and forwards. */
  public boolean programmed() {
    return this == OFFLINE || this == READY || this == DEGRADED;
  }
}
