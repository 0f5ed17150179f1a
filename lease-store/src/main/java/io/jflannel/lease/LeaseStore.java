package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import java.util.Optional;

/**
 * The lease policy of a node agent (flannel's subnet manager): config, acquire, keep, watch. Create
 * with {@link #create(LeaseRegistry, LeaseStoreOptions)}.
 */
public interface LeaseStore {

  /** A store over {@code registry}. */
  static LeaseStore create(LeaseRegistry registry, LeaseStoreOptions options) {
    return new DefaultLeaseStore(registry, options, LeaseCheck.NONE);
  }

  /**
   * A store whose acquire counts only the leases that pass {@code check} too (the backend's own
   * checks of lease data), as the agents do.
   */
  static LeaseStore create(LeaseRegistry registry, LeaseStoreOptions options, LeaseCheck check) {
    return new DefaultLeaseStore(registry, options, check);
  }

  /** The registry underneath. */
  LeaseRegistry registry();

  /**
   * Reads and validates the network config, waiting (with a log line per attempt) while the key is
   * missing or etcd is unreachable.
   *
   * @throws ConfigException when the config exists but is invalid
   * @throws InterruptedException when interrupted while waiting
   */
  NetworkConfig awaitNetworkConfig() throws InterruptedException;

  /**
   * Acquires a subnet for a node: its own existing lease (by PublicIP) if it still fits the config,
   * else {@code previous} if free, else a random one of the first 100 free subnets; in a dual-stack
   * network the IPv6 subnet the same way, {@code previous}'s IPv6 subnet first (as flanneld reads
   * FLANNEL_IPV6_SUBNET back). A lost race is retried in-process. An own lease that no longer fits
   * is deleted (the node moves) only when {@code mayMove}.
   *
   * @param previous the subnets of subnet.env a previous run wrote, or null
   * @throws LeaseStoreException with reason OUT_OF_SUBNETS when the range is full, WOULD_MOVE when
   *     the node's lease does not fit the config and {@code mayMove} is false
   */
  Lease acquire(NetworkConfig config, LeaseAttrs attrs, SubnetKey previous, boolean mayMove);

  /** {@link #acquire(NetworkConfig, LeaseAttrs, SubnetKey, boolean)} with an IPv4 previous. */
  default Lease acquire(
      NetworkConfig config, LeaseAttrs attrs, Optional<Ipv4Net> previous, boolean mayMove) {
    return acquire(config, attrs, previous.map(p -> new SubnetKey(p, null)).orElse(null), mayMove);
  }

  /** {@link #acquire(NetworkConfig, LeaseAttrs, Optional, boolean)} that may move the node. */
  default Lease acquire(NetworkConfig config, LeaseAttrs attrs, Optional<Ipv4Net> previous) {
    return acquire(config, attrs, previous, true);
  }

  /** Starts renewing {@code lease} and re-acquiring it if its key is deleted. */
  LeaseKeeper keep(Lease lease, LeaseKeeper.Listener listener);

  /**
   * Starts watching the other nodes' leases: a snapshot, then changes; {@code keeper} (may be null)
   * is told about events on its own key. Only the lease of exactly {@code own}'s key is ours; any
   * other lease, one sharing a subnet with ours included, is reported (a conflict is the listener's
   * to decide, {@link LeaseConflicts}).
   */
  LeaseWatcher watch(SubnetKey own, LeaseWatcher.Listener listener, LeaseKeeper keeper);

  /**
   * {@link #watch(SubnetKey, LeaseWatcher.Listener, LeaseKeeper)} of a node with an IPv4 subnet.
   */
  default LeaseWatcher watch(Ipv4Net own, LeaseWatcher.Listener listener, LeaseKeeper keeper) {
    return watch(new SubnetKey(own, null), listener, keeper);
  }
}
