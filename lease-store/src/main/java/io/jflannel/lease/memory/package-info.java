/**
 * An in-memory {@link io.jflannel.lease.LeaseRegistry}: a real implementation of the whole contract
 * (revisions, expiring leases, watch with history and compaction), for unit tests and the demo.
 */
package io.jflannel.lease.memory;
