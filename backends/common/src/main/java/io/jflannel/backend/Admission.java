package io.jflannel.backend;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseCheck;
import io.jflannel.lease.LeaseConflicts;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which leases a node programs (docs/architecture.md, "event path"): every lease it knows, this
 * node's own included, goes through the cluster-wide rules ({@link LeaseCheck}: the validator and
 * the backend's data checks), then the conflict rule among those that pass ({@link
 * LeaseConflicts}), then this node's own checks and the backend. A rejected lease is logged once
 * per reason and reported; an exception other than {@link BadLeaseException} out of the backend is
 * a bug: reported to the error handler with its stack trace, never shown as a rejection. Not
 * thread-safe (guarded by {@link PeerSync}).
 */
final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private final Backend backend;
  private final LeaseValidator validator;
  private final LeaseCheck rules;
  private final NetworkConfig config;
  private final SubnetKey own;
  private final LeaseConflicts conflicts;
  private final Map<SubnetKey, Lease> all = new HashMap<>();
  final Map<SubnetKey, Lease> peers = new HashMap<>();
  final Map<SubnetKey, Rejection> rejected = new HashMap<>();
  final Map<SubnetKey, String> failed = new HashMap<>();
  private Lease ownLease;
  Consumer<Rejection> onRejected = r -> {};
  BiConsumer<Lease, RuntimeException> onBackendError = Admission::logBug;
  private volatile long backendErrors;

  Admission(
      Backend backend,
      LeaseValidator validator,
      LeaseCheck rules,
      NetworkConfig config,
      SubnetKey own) {
    this.backend = backend;
    this.validator = validator;
    this.rules = rules;
    this.config = config;
    this.own = own;
    this.conflicts = new LeaseConflicts(config);
  }

  private static void logBug(Lease l, RuntimeException e) {
    LOG.error("backend failed on lease {} (a bug, not bad lease data)", l.key().toKey(), e);
  }

  /** Forgets every lease but our own (a new snapshot follows). */
  void reset() {
    all.clear();
    conflicts.clear();
    if (ownLease != null) {
      index(ownLease);
    }
  }

  /** Knows {@code l} (new or changed); returns the other leases whose verdict changed. */
  Set<SubnetKey> put(Lease l) {
    all.put(l.key(), l);
    return index(l);
  }

  /** Forgets a lease; returns the other leases whose verdict changed. */
  Set<SubnetKey> remove(SubnetKey k) {
    all.remove(k);
    return conflicts.remove(k);
  }

  /** Our own lease as etcd holds it: it keeps what it claims against younger leases. */
  Set<SubnetKey> own(Lease l) {
    ownLease = l;
    return index(l);
  }

  private Set<SubnetKey> index(Lease l) {
    return rules.reject(config, l) == null ? conflicts.put(l) : conflicts.remove(l.key());
  }

  /** Why our own lease loses to an older one (other nodes do not program it), or null. */
  LeaseConflicts.Conflict ownConflict() {
    return ownLease == null ? null : conflicts.conflict(ownLease.key());
  }

  /** Conflicts among the leases known (our own included). */
  int conflictCount() {
    return conflicts.conflictCount();
  }

  long backendErrors() {
    return backendErrors;
  }

  /** Forgets the last verdict of {@code k}; returns whether it was an accepted peer. */
  boolean forget(SubnetKey k) {
    failed.remove(k);
    return peers.remove(k) != null;
  }

  /**
   * Decides the lease of {@code k} afresh: its objects, or null when it is rejected (or unknown, or
   * ours). {@link #forget} it first.
   */
  PeerObjects admit(SubnetKey k) {
    Rejection before = rejected.remove(k);
    Lease l = all.get(k);
    if (l == null || k.equals(own)) {
      return null;
    }
    String why = rules.reject(config, l);
    if (why == null) {
      LeaseConflicts.Conflict c = conflicts.conflict(k);
      if (c != null) {
        why =
            ownLease != null && c.holder().equals(ownLease.key())
                ? "conflict: " + c.claim() + " is this node's (its lease is older)"
                : c.reason();
      }
    }
    if (why == null) {
      why = validator.rejectForNode(l);
    }
    if (why == null) {
      try {
        PeerObjects o = backend.objectsFor(l);
        peers.put(k, l);
        return o;
      } catch (BadLeaseException e) {
        why = e.getMessage();
      } catch (RuntimeException e) {
        backendErrors++;
        failed.put(k, e.toString());
        onBackendError.accept(l, e);
        return null;
      }
    }
    Rejection r = new Rejection(l, why);
    rejected.put(k, r);
    if (before == null || !before.reason().equals(why)) {
      LOG.warn(
          "rejected lease {}: {}; nothing is programmed for it (see"
              + " docs/troubleshooting.md#rejected-leases)",
          k.toKey(),
          why);
      onRejected.accept(r);
    }
    return null;
  }
}
