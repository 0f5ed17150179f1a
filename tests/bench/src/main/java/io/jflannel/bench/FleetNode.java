package io.jflannel.bench;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseKeeper;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseStoreOptions;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.LeaseWatcher;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetKey;
import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.lease.etcd.EtcdOptions;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.RecordingNetlink;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * One simulated node of the fleet: the agent's control plane as a real node runs it (its own etcd
 * client connection, the lease store's acquire, keeper and watcher, the host-gw backend and
 * PeerSync) on a recording kernel, so thousands fit on one machine without namespaces.
 */
final class FleetNode implements AutoCloseable {
  final int index;
  final CountDownLatch synced = new CountDownLatch(1);
  private final EtcdLeaseRegistry registry;
  private final LeaseKeeper keeper;
  private final LeaseWatcher watcher;
  volatile boolean lost;

  /**
   * Starts node {@code index} (PublicIP 198.18.(1 + index / 250).(1 + index % 250)); {@code seen}
   * hears every lease it programs, with the instant (nanoTime) it was programmed.
   */
  FleetNode(String endpoints, int index, BiConsumer<String, Long> seen) throws Exception {
    this.index = index;
    this.registry =
        EtcdLeaseRegistry.connect(
            EtcdOptions.builder().endpoints(List.of(endpoints.split(","))).build());
    LeaseStore store = LeaseStore.create(registry, LeaseStoreOptions.defaults());
    NetworkConfig config = store.awaitNetworkConfig();
    RecordingNetlink nl = new RecordingNetlink();
    Link eth = nl.addExisting("eth0", 1500, null);
    Ipv4Address ip = Ipv4Address.parse("198.18." + (1 + index / 250) + "." + (1 + index % 250));
    ExternalInterface ext = new ExternalInterface(eth, ip, Ipv4Net.parse("198.18.0.0/16"), ip);
    Backend b =
        BackendFactory.find("host-gw")
            .orElseThrow()
            .create(new BackendContext(nl, ext, config, Path.of("/nonexistent")));
    LeaseAttrs attrs = b.prepare();
    Lease own = store.acquire(config, attrs, Optional.empty());
    b.start(own);
    PeerSync sync =
        new PeerSync(
            nl,
            b,
            new LeaseValidator(config, own.subnet(), ip),
            config,
            new SubnetKey(own.subnet(), null));
    this.keeper =
        store.keep(
            own,
            new LeaseKeeper.Listener() {
              @Override
              public void lost(Lease l, String why) {
                lost = true;
              }
            });
    this.watcher =
        store.watch(
            own.key(),
            new LeaseWatcher.Listener() {
              @Override
              public void onSnapshot(List<Lease> peers) {
                sync.snapshot(peers);
                synced.countDown();
              }

              @Override
              public void onEvents(List<LeaseEvent> events) {
                sync.events(events);
                long now = System.nanoTime();
                for (LeaseEvent e : events) {
                  if (e.type() == LeaseEvent.Type.ADDED) {
                    seen.accept(e.lease().key().toKey(), now);
                  }
                }
              }
            },
            keeper);
  }

  /** One read of the config key, as the previous release's watchdog made every second. */
  void probe() {
    registry.probe(java.time.Duration.ofMillis(900));
  }

  @Override
  public void close() {
    watcher.close();
    keeper.close();
    registry.close();
  }
}
