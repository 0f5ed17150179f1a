package io.jflannel.agent.node;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the agent says about itself at one instant, immutable: what {@code /healthz}, {@code
 * /readyz}, the metrics and {@code jflanctl status} all read, so they never disagree.
 *
 * @param state the lifecycle state
 * @param waitingFor why the agent is not programmed yet (states before OFFLINE/READY), else null
 * @param conditions what is wrong while running, by area ({@code kernel}, {@code etcd}, {@code
 *     config}); empty when nothing is
 * @param sinceMs when the state was entered
 * @param startedMs when the agent started
 * @param node the node's identity once known
 * @param sync the peer programming counters
 * @param etcd etcd's health as last probed
 * @param leaseExpiresUnix when our lease expires (unix seconds), 0 when unknown
 */
public record StatusSnapshot(
    AgentState state,
    String waitingFor,
    Map<String, String> conditions,
    long sinceMs,
    long startedMs,
    NodeInfo node,
    SyncInfo sync,
    EtcdInfo etcd,
    long leaseExpiresUnix) {

  /**
   * The node: interface, addresses, network, backend, MTU, subnet (empty strings until known), and
   * its last move to a new interface address ("198.18.0.11 -> 198.18.0.21 at 10:55:01"), or empty.
   */
  public record NodeInfo(
      String iface,
      String publicIp,
      String network,
      String backend,
      int mtu,
      String subnet,
      String moved) {
    static final NodeInfo UNKNOWN = new NodeInfo("", "", "", "", 0, "", "");

    NodeInfo withMoved(String m) {
      return new NodeInfo(iface, publicIp, network, backend, mtu, subnet, m);
    }
  }

  /**
   * Peers accepted and rejected, conflicts among the leases (rejected leases that lost a subnet,
   * address or VtepMAC to an older lease), kernel objects, repairs, the last reconcile.
   */
  public record SyncInfo(
      int peers,
      int rejected,
      int conflicts,
      long objects,
      long repairs,
      long lastReconcileMs,
      int lastReconcileRepairs) {
    static final SyncInfo NONE = new SyncInfo(0, 0, 0, 0, 0, 0, 0);

    /** The same counts after a reconcile at {@code nowMs} that repaired {@code repaired}. */
    SyncInfo reconciled(long nowMs, int repaired) {
      return new SyncInfo(peers, rejected, conflicts, objects, repairs, nowMs, repaired);
    }
  }

  /** etcd as last probed: healthy or not since when, and the last error. */
  public record EtcdInfo(boolean healthy, long sinceMs, String lastError) {}

  /** Copies. */
  public StatusSnapshot {
    conditions = Map.copyOf(conditions);
  }

  static StatusSnapshot starting(long nowMs) {
    return new StatusSnapshot(
        AgentState.STARTING,
        "starting",
        Map.of(),
        nowMs,
        nowMs,
        NodeInfo.UNKNOWN,
        SyncInfo.NONE,
        new EtcdInfo(false, nowMs, "not contacted yet"),
        0);
  }

  /**
   * The condition areas under which the node's data path is dead although it is programmed: the
   * kernel refuses its objects, another forward chain drops pod traffic, the chosen interface lost
   * its address, the CNI config kubelet uses is not ours. They make a running node unready.
   */
  static final java.util.Set<String> UNREADY =
      java.util.Set.of("kernel", "forward", "interface", "cni");

  /**
   * Null when the node is programmed and nothing stands in the way of its data path (readiness);
   * else why not. An etcd outage or a refused config change does not make a programmed node
   * unready: its pods keep their network.
   */
  public String notReadyReason() {
    if (!state.programmed()) {
      return waitingFor == null ? state.name().toLowerCase() : waitingFor;
    }
    for (String area : new java.util.TreeSet<>(UNREADY)) {
      String why = conditions.get(area);
      if (why != null) {
        return "degraded: " + area + ": " + why;
      }
    }
    return null;
  }

  /** The conditions as one line, "area: what; area: what", sorted; empty when none. */
  public String conditionsLine() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(conditions)
        .forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
    return b.toString();
  }

  StatusSnapshot with(AgentState s, String why, long nowMs) {
    return new StatusSnapshot(
        s, why, conditions, nowMs, startedMs, node, sync, etcd, leaseExpiresUnix);
  }

  StatusSnapshot withConditions(Map<String, String> c) {
    return new StatusSnapshot(
        state, waitingFor, c, sinceMs, startedMs, node, sync, etcd, leaseExpiresUnix);
  }

  StatusSnapshot with(NodeInfo n) {
    return new StatusSnapshot(
        state, waitingFor, conditions, sinceMs, startedMs, n, sync, etcd, leaseExpiresUnix);
  }

  StatusSnapshot with(SyncInfo s) {
    return new StatusSnapshot(
        state, waitingFor, conditions, sinceMs, startedMs, node, s, etcd, leaseExpiresUnix);
  }

  StatusSnapshot with(EtcdInfo e) {
    return new StatusSnapshot(
        state, waitingFor, conditions, sinceMs, startedMs, node, sync, e, leaseExpiresUnix);
  }

  StatusSnapshot withLeaseExpiry(long unix) {
    return new StatusSnapshot(
        state, waitingFor, conditions, sinceMs, startedMs, node, sync, etcd, unix);
  }
}
