package io.jflannel.backend;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseCheck;
import io.jflannel.lease.LeaseConflicts;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one set of rules a lease passes before any node programs it, shared by the agents ({@link
 * PeerSync}), their acquire check and {@code jflanctl leases}: the validator's cluster-wide checks,
 * the backend's own checks of its lease data ({@link BackendFactory#leaseProblem}), then the
 * conflict rule among the leases that pass both ({@link LeaseConflicts}: the older lease keeps a
 * subnet, address or VtepMAC both claim).
 */
public final class LeaseRules implements LeaseCheck {
  private final BackendFactory factory;

  private LeaseRules(BackendFactory factory) {
    this.factory = factory;
  }

  /** The rules of {@code config}'s network (its backend's checks when it is on the class path). */
  public static LeaseRules of(NetworkConfig config) {
    return new LeaseRules(BackendFactory.find(config.backend().type()).orElse(null));
  }

  /**
   * The checks of whichever backend a config names, each factory looked up once (the lease store's
   * acquire check, which runs before the backend is chosen for good).
   */
  public static LeaseCheck byBackendType() {
    Map<String, LeaseRules> cache = new java.util.concurrent.ConcurrentHashMap<>();
    return (config, lease) ->
        cache.computeIfAbsent(config.backend().type(), t -> of(config)).problem(config, lease);
  }

  /** The rules with {@code factory}'s checks. */
  public static LeaseRules of(BackendFactory factory) {
    return new LeaseRules(factory);
  }

  @Override
  public String problem(NetworkConfig config, Lease lease) {
    if (factory == null) {
      return null;
    }
    String type = lease.attrs().effectiveBackendType();
    if (!factory.acceptsLeaseOf(type)) {
      return "backend " + type + " does not match the network's " + factory.type();
    }
    return factory.leaseProblem(config, lease);
  }

  /**
   * Every lease's verdict in a listing: why no node programs it (a failed check or a conflict), in
   * the listing's order; leases that are fine are absent.
   */
  public Map<SubnetKey, String> verdicts(NetworkConfig config, Collection<Lease> leases) {
    Map<SubnetKey, String> out = new LinkedHashMap<>();
    for (Lease l : leases) {
      String why = reject(config, l);
      if (why != null) {
        out.put(l.key(), why);
      }
    }
    LeaseConflicts.of(config, leases, l -> !out.containsKey(l.key()))
        .forEach((k, c) -> out.put(k, c.reason()));
    return out;
  }
}
