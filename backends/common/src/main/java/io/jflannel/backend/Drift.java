package io.jflannel.backend;

import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Route;
import java.util.function.IntFunction;

/**
 * One difference between the kernel state the leases call for and what the kernel holds: what
 * {@link PeerSync#diff()} reports and {@link PeerSync#reconcile()} repairs.
 *
 * @param kind missing, extra or wrong
 * @param want the object wanted (null for an extra one)
 * @param have the object found (null for a missing one)
 */
public record Drift(Kind kind, Object want, Object have) {
  /** How the kernel differs. */
  public enum Kind {
    /** Wanted, not there: will be added. */
    MISSING,
    /** There, not wanted (ours, or inside the cluster network): will be removed. */
    EXTRA,
    /** There, but different from what is wanted: will be replaced. */
    WRONG
  }

  /** Wanted, not there. */
  public static Drift missing(Object want) {
    return new Drift(Kind.MISSING, want, null);
  }

  /** There, not wanted. */
  public static Drift extra(Object have) {
    return new Drift(Kind.EXTRA, null, have);
  }

  /** There, but different. */
  public static Drift wrong(Object want, Object have) {
    return new Drift(Kind.WRONG, want, have);
  }

  /** route, neighbour, fdb, address or iptables (a rule line, as iptables-save prints it). */
  public String type() {
    Object o = want != null ? want : have;
    if (o instanceof Route) {
      return "route";
    }
    if (o instanceof Neighbour) {
      return "neighbour";
    }
    if (o instanceof FdbEntry) {
      return "fdb";
    }
    return o instanceof Address ? "address" : "iptables";
  }

  /** An object in the words of {@code ip}/{@code bridge}, devices named by {@code dev}. */
  public static String describe(Object o, IntFunction<String> dev) {
    if (o instanceof Route r) {
      return r.destination()
          + (r.gateway() == null ? "" : " via " + r.gateway())
          + " dev "
          + dev.apply(r.ifindex())
          + (r.onlink() ? " onlink" : "")
          + " proto "
          + r.protocol()
          + (r.scope() == Route.SCOPE_LINK ? " scope link" : "")
          + (r.table() == Route.TABLE_MAIN ? "" : " table " + r.table());
    }
    if (o instanceof Neighbour n) {
      return n.address() + " lladdr " + n.mac() + " dev " + dev.apply(n.ifindex());
    }
    if (o instanceof FdbEntry f) {
      return f.mac() + " dst " + f.destination() + " dev " + dev.apply(f.ifindex()) + " self";
    }
    if (o instanceof Address a) {
      return a.address() + "/" + a.prefixLength() + " dev " + dev.apply(a.ifindex());
    }
    return String.valueOf(o);
  }
}
