package io.jflannel.agent.node;

import io.jflannel.backend.Drift;
import io.jflannel.backend.Rejection;
import io.jflannel.lease.Lease;
import java.util.List;

/**
 * What the admin API may see of a node and ask of it: the status, the peers, the drift, and a
 * reconcile on request. Nothing else of the node is reachable from outside its package.
 */
public interface NodeView {
  /** The status as last published (state, conditions, lease, peers, etcd). */
  StatusSnapshot status();

  /** The accepted peers; empty before the node is programmed. */
  List<Lease> peers();

  /** The rejected leases with their reasons; empty before the node is programmed. */
  List<Rejection> rejected();

  /**
   * The kernel objects and firewall rules that are not as the leases call for.
   *
   * @throws IllegalStateException before the node is programmed
   */
  List<Drift> diff();

  /**
   * Repairs kernel objects and rules now.
   *
   * @throws IllegalStateException before the node's loops run
   */
  Reconciled reconcile();

  /**
   * What a reconcile on request did.
   *
   * @param repaired what it put back
   * @param failed what the kernel refused
   * @param problems why the kernel is not right, one line each
   */
  record Reconciled(List<Drift> repaired, List<Drift> failed, List<String> problems) {}
}
