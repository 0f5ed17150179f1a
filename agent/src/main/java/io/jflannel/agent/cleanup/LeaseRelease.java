package io.jflannel.agent.cleanup;

import io.jflannel.agent.host.HostAddresses;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseKeys;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.IpAddress;
import io.jflannel.netlink.Netlink;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code --release-lease}: this node's lease deleted from etcd, so that its subnet is free at once
 * rather than when the lease expires. Only a lease this host holds: its PublicIP (or PublicIPv6)
 * must be one of the host's addresses; a reservation is the operator's ({@code jflanctl
 * unreserve}).
 */
final class LeaseRelease {
  private LeaseRelease() {}

  /**
   * The lease to delete; empty with the reason told to {@code note} when there is none to.
   *
   * @throws io.jflannel.lease.LeaseStoreException when etcd does not answer
   */
  static Optional<Leftover> find(
      LeaseRegistry etcd, Netlink nl, Optional<SubnetKey> subnets, Consumer<String> note) {
    if (subnets.isEmpty()) {
      note.accept("lease: this node's subnet is unknown (no subnet.env): nothing released");
      return Optional.empty();
    }
    String key = LeaseKeys.forLog(subnets.get().toKey());
    Optional<Lease> lease = etcd.getLease(subnets.get());
    if (lease.isEmpty() || lease.get().attrs() == null) {
      note.accept("lease: none in etcd for " + key);
      return Optional.empty();
    }
    Lease l = lease.get();
    if (l.isReservation()) {
      note.accept(
          "lease: " + key + " is a reservation: kept (jflanctl unreserve frees it for any node)");
      return Optional.empty();
    }
    IpAddress v6 = l.attrs().publicIpv6() == null ? null : l.attrs().publicIpv6Address();
    if (!HostAddresses.hold(nl, l.attrs())) {
      note.accept(
          "lease: "
              + key
              + " is held by "
              + (l.attrs().publicIp().value() != 0 ? l.attrs().publicIp() : v6)
              + ", not an address of this host: kept");
      return Optional.empty();
    }
    return Optional.of(
        new Leftover(
            "lease " + key + " in etcd (its subnet is free for another node)",
            () -> etcd.deleteLease(l.key())));
  }
}
