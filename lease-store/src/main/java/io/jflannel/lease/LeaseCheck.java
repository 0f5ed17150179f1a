package io.jflannel.lease;

/**
 * A cluster-wide check of a lease beyond {@link LeaseValidator#rejectForCluster}: what a backend
 * knows of its own lease data (vxlan: a unicast VtepMAC, the network's VNI). Lease-store knows no
 * backend; the agent hands it one ({@link LeaseStore#create(LeaseRegistry, LeaseStoreOptions,
 * LeaseCheck)}) so that the acquire check counts the same leases the agents program.
 */
@FunctionalInterface
public interface LeaseCheck {
  /** No check beyond the validator's. */
  LeaseCheck NONE = (config, lease) -> null;

  /** Why no node of {@code config}'s network may use {@code lease}, or null. */
  String problem(NetworkConfig config, Lease lease);

  /** The validator's cluster-wide checks, then this one: null when the lease takes part. */
  default String reject(NetworkConfig config, Lease lease) {
    String why = LeaseValidator.forCluster(config).rejectForCluster(lease);
    return why != null ? why : problem(config, lease);
  }
}
