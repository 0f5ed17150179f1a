package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CRUD and watch on the leases of one network prefix: mechanism, no policy. Implemented by {@link
 * io.jflannel.lease.etcd.EtcdLeaseRegistry} and {@link
 * io.jflannel.lease.memory.InMemoryLeaseRegistry}; both pass the same contract tests.
 *
 * <p>Every method may throw {@link LeaseStoreException}. Values under {@code subnets/} that are not
 * valid leases are skipped with one warning each and reported to the {@link RegistryObserver}; they
 * never hide the valid ones.
 */
public interface LeaseRegistry extends AutoCloseable {

  /** The key prefix, e.g. {@code /coreos.com/network}. */
  String prefix();

  /** The raw network config, or empty when the config key does not exist. */
  Optional<String> getNetworkConfig();

  /** Writes the network config (the caller validates it first). */
  void putNetworkConfig(String json);

  /**
   * Writes the network config only when there is none, in one transaction (the init step of every
   * node may race); true when this call wrote it.
   */
  boolean createNetworkConfig(String json);

  /** Every lease under the prefix at one revision. */
  LeaseSnapshot listLeases();

  /**
   * The lease of {@code subnets}, or empty: for an IPv4-only key, the lease of that IPv4 subnet in
   * either key form; for a dual-stack or IPv6-only key, the lease of exactly that key.
   */
  Optional<Lease> getLease(SubnetKey subnets);

  /** The lease of an IPv4 subnet, in either key form, or empty. */
  default Optional<Lease> getLease(Ipv4Net subnet) {
    return getLease(new SubnetKey(subnet, null));
  }

  /**
   * Creates a lease only if the key does not exist (one transaction).
   *
   * @param ttl lifetime of a new store lease, or null for a reservation (no store lease)
   * @return the lease, or empty when the key exists (a lost race)
   */
  Optional<Lease> createLease(SubnetKey subnets, LeaseAttrs attrs, Duration ttl);

  /** {@link #createLease(SubnetKey, LeaseAttrs, Duration)} of an IPv4-only lease. */
  default Optional<Lease> createLease(Ipv4Net subnet, LeaseAttrs attrs, Duration ttl) {
    return createLease(new SubnetKey(subnet, null), attrs, ttl);
  }

  /**
   * Rewrites a lease with new attributes and a fresh lifetime, only if it is unchanged since {@code
   * current} was read (compare on modRevision). The previous store lease is released.
   *
   * @param ttl fresh lifetime, or null to make it a reservation
   * @return the new lease, or empty when the key changed or vanished meanwhile
   */
  Optional<Lease> updateLease(Lease current, LeaseAttrs attrs, Duration ttl);

  /**
   * Renews a lease in place: its store lease is kept alive for another full TTL (no new store
   * lease, nothing to revoke, so nothing is left behind).
   *
   * @return the lease with its new expiration, or empty when its store lease expired or is unknown
   */
  Optional<Lease> renewLease(Lease current);

  /**
   * Deletes the key of {@link #getLease(SubnetKey)} (and releases its store lease). Deleting a
   * missing key returns false.
   */
  boolean deleteLease(SubnetKey subnets);

  /** Deletes the lease of an IPv4 subnet, in either key form. */
  default boolean deleteLease(Ipv4Net subnet) {
    return deleteLease(new SubnetKey(subnet, null));
  }

  /** Time left on a store lease, or empty when it has expired or is unknown. */
  Optional<Duration> timeToLive(long storeLeaseId);

  /**
   * Time left on many store leases (a listing's EXPIRES column). The default asks one at a time;
   * etcd's has them all in flight at once.
   */
  default Map<Long, Optional<Duration>> timeToLive(Collection<Long> storeLeaseIds) {
    Map<Long, Optional<Duration>> out = new HashMap<>();
    storeLeaseIds.forEach(id -> out.put(id, timeToLive(id)));
    return out;
  }

  /**
   * Watches lease keys from a revision. Events are delivered in revision order on one thread per
   * watch; a compaction or a fatal error ends the watch with one call to the listener.
   */
  RegistryWatch watchLeases(long fromRevision, RegistryWatch.Listener listener);

  /**
   * One cheap read that proves the store answers now, bypassing retries and the circuit breaker:
   * the network config (empty when the key does not exist).
   *
   * @throws LeaseStoreException UNAVAILABLE when there is no answer within {@code timeout}
   */
  default Optional<String> probe(Duration timeout) {
    return getNetworkConfig();
  }

  /**
   * A hint that the store is back: true when any endpoint accepts a connection within {@code
   * timeout} (a store whose client is still backing off can be reachable).
   */
  default boolean reachable(Duration timeout) {
    return true;
  }

  /**
   * Drops the connection (and its reconnect backoff) and connects afresh; watches on the old
   * connection end with an error and are restarted by their owners. Use when the store is reachable
   * again but calls still fail.
   */
  default void reconnect() {}

  /**
   * Follows the network config key: reads it, then watches it from that read's revision, so the
   * listener gets its value at once and again at every change, with no periodic read. It ends at
   * the first error ({@link ConfigListener#onError}); the caller starts another when etcd answers.
   */
  RegistryWatch watchConfig(ConfigListener listener);

  /** Observer of retries, errors, circuit state, malformed values. */
  void setObserver(RegistryObserver observer);

  @Override
  void close();
}
