package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import java.time.Instant;

/**
 * A subnet lease as stored: the subnet (from the key), the attributes (from the value) and what the
 * store knows of its lifetime.
 *
 * @param subnet the leased subnet
 * @param attrs the holder's attributes
 * @param storeLeaseId the etcd lease the key is attached to; 0 for a reservation
 * @param expiration when the lease runs out, if known (null for reservations or when not asked)
 * @param modRevision the store revision of the key's last change
 */
public record Lease(
    Ipv4Net subnet, LeaseAttrs attrs, long storeLeaseId, Instant expiration, long modRevision) {

  /** A key with no etcd lease: a reservation, never expires. */
  public boolean isReservation() {
    return storeLeaseId == 0;
  }

  /** This lease with a known expiration. */
  public Lease withExpiration(Instant at) {
    return new Lease(subnet, attrs, storeLeaseId, at, modRevision);
  }
}
