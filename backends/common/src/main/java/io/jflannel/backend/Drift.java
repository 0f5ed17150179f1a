package io.jflannel.backend;

import io.jflannel.netlink.KernelObject;

/**
 * One difference between the node state the leases and config call for and what the node holds:
 * what {@link PeerSync#diff()} reports and {@link PeerSync#repair()} repairs.
 *
 * @param kind missing, extra or wrong
 * @param want the object wanted (null for an extra one)
 * @param have the object found (null for a missing one)
 */
public record Drift(Kind kind, KernelObject want, KernelObject have) {
  /** How the node differs. */
  public enum Kind {
    /** Wanted, not there: will be added. */
    MISSING,
    /** There, not wanted (ours, or inside the cluster network): will be removed. */
    EXTRA,
    /** There, but different from what is wanted: will be replaced. */
    WRONG
  }

  /** Wanted, not there. */
  public static Drift missing(KernelObject want) {
    return new Drift(Kind.MISSING, want, null);
  }

  /** There, not wanted. */
  public static Drift extra(KernelObject have) {
    return new Drift(Kind.EXTRA, null, have);
  }

  /** There, but different. */
  public static Drift wrong(KernelObject want, KernelObject have) {
    return new Drift(Kind.WRONG, want, have);
  }

  /** The object this drift is about: the wanted one, or the extra one. */
  public KernelObject object() {
    return want != null ? want : have;
  }

  /** route, neighbour, fdb, address, device or iptables. */
  public String type() {
    return object().type();
  }
}
