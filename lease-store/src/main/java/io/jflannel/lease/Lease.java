package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.time.Instant;
import java.util.Comparator;

/**
 * A subnet lease as stored: the subnet (from the key), the attributes (from the value) and what the
 * store knows of its lifetime.
 *
 * @param subnet the leased IPv4 subnet, or null for an IPv6-only lease (flanneld's key {@code
 *     0.0.0.0-0&fc00:0:0:1::-64})
 * @param attrs the holder's attributes
 * @param storeLeaseId the etcd lease the key is attached to; 0 for a reservation
 * @param expiration when the lease runs out, if known (null for reservations or when not asked)
 * @param modRevision the store revision of the key's last change
 * @param ipv6Subnet the leased IPv6 subnet of a dual-stack or IPv6-only lease (flanneld's key
 *     {@code 10.244.1.0-24&fc00:0:0:1::-64}), or null
 * @param createRevision the store revision that created the key (etcd's {@code create_revision}):
 *     the lease's age, by which a conflict between two leases is decided ({@link LeaseConflicts})
 */
public record Lease(
    Ipv4Net subnet,
    LeaseAttrs attrs,
    long storeLeaseId,
    Instant expiration,
    long modRevision,
    Ipv6Net ipv6Subnet,
    long createRevision) {

  /**
   * Leases in the order of their keys ({@link SubnetKey#compareTo}) without building the keys: a
   * snapshot of thousands is sorted on the start path.
   */
  public static final Comparator<Lease> BY_KEY =
      (a, b) -> SubnetKey.compare(a.subnet, a.ipv6Subnet, b.subnet, b.ipv6Subnet);

  /** An IPv4-only lease created at {@code modRevision} (never updated since). */
  public Lease(
      Ipv4Net subnet, LeaseAttrs attrs, long storeLeaseId, Instant expiration, long modRevision) {
    this(subnet, attrs, storeLeaseId, expiration, modRevision, null);
  }

  /** A lease created at {@code modRevision} (never updated since). */
  public Lease(
      Ipv4Net subnet,
      LeaseAttrs attrs,
      long storeLeaseId,
      Instant expiration,
      long modRevision,
      Ipv6Net ipv6Subnet) {
    this(subnet, attrs, storeLeaseId, expiration, modRevision, ipv6Subnet, modRevision);
  }

  /** The subnets this lease's key names. */
  public SubnetKey key() {
    return new SubnetKey(subnet, ipv6Subnet);
  }

  /** A key with no etcd lease: a reservation, never expires. */
  public boolean isReservation() {
    return storeLeaseId == 0;
  }

  /** This lease with a known expiration. */
  public Lease withExpiration(Instant at) {
    return new Lease(subnet, attrs, storeLeaseId, at, modRevision, ipv6Subnet, createRevision);
  }

  /**
   * True when this lease was created before {@code other} (lower create revision; between equal
   * revisions, which only leases made by hand in tests have, the lower key): the older of two
   * conflicting leases keeps what they share.
   */
  public boolean olderThan(Lease other) {
    if (createRevision != other.createRevision) {
      return createRevision < other.createRevision;
    }
    return BY_KEY.compare(this, other) < 0;
  }
}
