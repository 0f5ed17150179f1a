package io.jflannel.backend;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Route;
import java.util.Collection;
import java.util.List;

/**
 * One node's backend. Lifecycle: {@link #prepare()} (devices, before the lease), {@link
 * #start(Lease)} (configure with our subnet), then {@link PeerSync} drives {@link #objectsFor}.
 */
public interface Backend extends AutoCloseable {
  /** The backend type ({@code host-gw}, {@code vxlan}, {@code udp}). */
  String type();

  /** Creates or adopts devices; returns the attributes to advertise in our lease. */
  LeaseAttrs prepare();

  /** Configures devices for our own lease. */
  void start(Lease own);

  /** MTU for containers (subnet.env FLANNEL_MTU). */
  int mtu();

  /** The backend's device for neighbours and FDB entries, or 0 when it has none. */
  int deviceIndex();

  /**
   * The ifindex of the backend's IPv6 device in a dual-stack network (vxlan: {@code
   * flannel-v6.<vni>}), or 0 when it has none.
   */
  default int ipv6DeviceIndex() {
    return 0;
  }

  /**
   * The kernel objects a peer needs. The peer has passed the lease checks every backend shares
   * ({@link io.jflannel.lease.LeaseValidator}).
   *
   * @throws BadLeaseException with the reason when this backend cannot use the lease (e.g. vxlan
   *     data missing, host-gw peer not on-link): the lease is rejected. Nothing else may be thrown:
   *     any other exception is a bug and is reported as one
   */
  PeerObjects objectsFor(Lease peer) throws BadLeaseException;

  /** The devices this backend owns as they must be; drift in them is reported and repaired. */
  default List<Device> devices() {
    return List.of();
  }

  /**
   * Brings one owned device back to {@code drift.want()}: re-creates it when missing or when what
   * differs cannot be changed in place, else corrects it. Its objects (address, neighbours, FDB,
   * routes) are restored by the reconcile that follows.
   *
   * @throws RuntimeException (e.g. {@link io.jflannel.netlink.NetlinkException}) when it cannot
   */
  default void repairDevice(Drift drift) {
    throw new UnsupportedOperationException(type() + " owns no devices");
  }

  /**
   * Routes the backend's device needs whatever the peers (udp: the cluster network through its TUN
   * device); reconcile restores them.
   */
  default List<Route> baseRoutes() {
    return List.of();
  }

  /**
   * Addresses the backend's device must carry (vxlan, udp: our subnet's .0/32); reconcile restores
   * them.
   */
  default List<Address> deviceAddresses() {
    return List.of();
  }

  /**
   * The whole current peer set, after every change (the backend's own forwarding table, if any;
   * udp). Called with the sync's lock held: keep it short and never block.
   */
  default void peersChanged(Collection<Lease> peers) {}

  /** The backend's own counters and gauges, exported by the agent. */
  default List<BackendMetric> metrics() {
    return List.of();
  }

  @Override
  default void close() {}
}
