/**
 * Subnet leases in flannel's etcd schema (docs/architecture.md; flannel's etcd schema).
 *
 * <p>Policy is separate from mechanism, as in flannel: {@link io.jflannel.lease.LeaseRegistry} is
 * plain CRUD and watch on the store (etcd, or the in-memory registry for tests and the demo);
 * {@link io.jflannel.lease.LeaseStore} is the policy a node agent needs on top of it: read and
 * validate the {@link io.jflannel.lease.NetworkConfig}, acquire a subnet, keep it renewed ({@link
 * io.jflannel.lease.LeaseKeeper}), and watch the other nodes' leases ({@link
 * io.jflannel.lease.LeaseWatcher}).
 */
package io.jflannel.lease;
