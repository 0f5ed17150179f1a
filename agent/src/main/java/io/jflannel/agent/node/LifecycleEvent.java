package io.jflannel.agent.node;

/**
 * What happens to a node on its way up and while it runs (docs/architecture.md, "lifecycle"); the
 * {@link Lifecycle} maps every event in every state to a state. Conditions (what is wrong while it
 * runs) are set apart ({@link Lifecycle#condition}) and move a running node between READY and
 * DEGRADED.
 */
public enum LifecycleEvent {
  /** etcd answered without a network config, or did not answer: the node waits for it. */
  CONFIG_AWAITED,
  /** etcd unreachable at start: the node was programmed from its last-known-good local state. */
  PROGRAMMED_OFFLINE,
  /** A usable network config was read: the node takes (or keeps) its lease. */
  CONFIG_READ,
  /** The lease is held, subnet.env written: the first peer snapshot is being programmed. */
  LEASE_HELD,
  /** The peers are programmed. */
  SNAPSHOT_PROGRAMMED,
  /** SIGTERM, or a start error: nothing is written from here on. */
  STOP
}
