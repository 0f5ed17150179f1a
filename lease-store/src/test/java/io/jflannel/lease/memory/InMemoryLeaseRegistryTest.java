package io.jflannel.lease.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseRegistryContract;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseStoreOptions;
import io.jflannel.lease.LeaseWatcher;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryLeaseRegistryTest extends LeaseRegistryContract {
  private InMemoryLeaseRegistry memory;

  @Override
  protected LeaseRegistry newRegistry(String prefix) {
    memory = new InMemoryLeaseRegistry(prefix);
    return memory;
  }

  @Override
  protected void putRaw(String relativeKey, String value) {
    memory.putRaw(relativeKey, value);
  }

  @Override
  protected String getRaw(String relativeKey) {
    if (relativeKey.equals("config")) {
      return memory.getNetworkConfig().orElse(null);
    }
    return memory.getRaw(relativeKey);
  }

  @Override
  protected void compact(long revision) {
    memory.compact(revision);
  }

  /** A watch that breaks while history is compacted: the watcher re-lists and diffs. */
  @Test
  void watcherReListsAfterCompactionAndDiffsIntoEvents() {
    memory.createLease(
        Ipv4Net.parse("10.244.2.0/24"),
        io.jflannel.lease.LeaseAttrs.of(Ipv4Address.parse("198.18.0.2"), "host-gw", null),
        null);
    memory.createLease(
        Ipv4Net.parse("10.244.3.0/24"),
        io.jflannel.lease.LeaseAttrs.of(Ipv4Address.parse("198.18.0.3"), "host-gw", null),
        null);
    List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    List<List<Lease>> snaps = new CopyOnWriteArrayList<>();
    LeaseStoreOptions slow =
        new LeaseStoreOptions(
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            new java.util.Random(1));
    LeaseWatcher w =
        LeaseStore.create(memory, slow)
            .watch(Ipv4Net.parse("10.244.1.0/24"), watcherListener(events, snaps), null);
    try {
      await().until(() -> snaps.size() == 1);
      memory.breakWatches(new IllegalStateException("connection reset (test)"));
      memory.deleteLease(Ipv4Net.parse("10.244.2.0/24"));
      memory.createLease(
          Ipv4Net.parse("10.244.4.0/24"),
          io.jflannel.lease.LeaseAttrs.of(Ipv4Address.parse("198.18.0.4"), "host-gw", null),
          null);
      memory.createLease(
          Ipv4Net.parse("10.244.5.0/24"),
          io.jflannel.lease.LeaseAttrs.of(Ipv4Address.parse("198.18.0.5"), "host-gw", null),
          null);
      memory.deleteLease(Ipv4Net.parse("10.244.5.0/24"));
      memory.compact(memory.revision());
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
      assertThat(events)
          .extracting(e -> e.type() + " " + e.lease().subnet())
          .containsExactlyInAnyOrder("REMOVED 10.244.2.0/24", "ADDED 10.244.4.0/24");
    } finally {
      w.close();
    }
  }
}
