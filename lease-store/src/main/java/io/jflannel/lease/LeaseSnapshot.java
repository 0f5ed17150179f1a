package io.jflannel.lease;

import java.util.List;

/**
 * All leases under the prefix at one store revision.
 *
 * @param leases valid leases, sorted by subnet
 * @param revision the store revision the list was read at; watch from {@code revision + 1}
 * @param malformed how many keys under {@code subnets/} were skipped as malformed
 */
public record LeaseSnapshot(List<Lease> leases, long revision, int malformed) {

  /** Defensive copy. */
  public LeaseSnapshot {
    leases = List.copyOf(leases);
  }
}
