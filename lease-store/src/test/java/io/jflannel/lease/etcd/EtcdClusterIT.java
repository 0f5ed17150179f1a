package io.jflannel.lease.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseKeeper;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseStoreOptions;
import io.jflannel.lease.LeaseWatcher;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A 3-member etcd cluster: many racing clients, and the leader going away under a running node. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EtcdClusterIT {
  static EtcdFixture etcd;
  static final NetworkConfig CONFIG =
      NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":24}");

  @BeforeAll
  static void start() {
    etcd = EtcdFixture.cluster(3);
  }

  @AfterAll
  static void stop() {
    if (etcd != null) {
      etcd.close();
    }
  }

  static EtcdLeaseRegistry registry(String prefix) {
    return EtcdLeaseRegistry.connect(
        EtcdOptions.builder().endpoints(etcd.endpoints()).prefix(prefix).build());
  }

  @Test
  void twoHundredFiftySixRacingAcquisitionsGetThe255SubnetsAndOneCleanExhaustion()
      throws Exception {
    String prefix = "/race/" + System.nanoTime();
    List<EtcdLeaseRegistry> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      List<Future<Lease>> fs = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        EtcdLeaseRegistry r = registry(prefix);
        clients.add(r);
        LeaseStore s = LeaseStore.create(r, LeaseStoreOptions.defaults());
        for (int i = 0; i < 16; i++) {
          Ipv4Address ip = Ipv4Address.parse("198.18." + (10 + c) + "." + (i + 1));
          fs.add(
              pool.submit(
                  () -> s.acquire(CONFIG, LeaseAttrs.of(ip, "host-gw", null), Optional.empty())));
        }
      }
      Set<Ipv4Net> subnets = ConcurrentHashMap.newKeySet();
      List<Throwable> failures = new ArrayList<>();
      for (Future<Lease> f : fs) {
        try {
          subnets.add(f.get(120, TimeUnit.SECONDS).subnet());
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      assertThat(subnets).hasSize(255).allMatch(CONFIG::fits);
      assertThat(failures).hasSize(1);
      assertThat(failures.get(0))
          .isInstanceOf(io.jflannel.lease.LeaseStoreException.class)
          .hasMessageStartingWith("out of subnets in 10.244.0.0/16");
      assertThat(clients.get(0).listLeases().leases()).hasSize(255);
    } finally {
      pool.shutdownNow();
      clients.forEach(EtcdLeaseRegistry::close);
    }
  }

  @Test
  void renewalAndWatchSurviveALeaderChange() throws Exception {
    String prefix = "/leader/" + System.nanoTime();
    try (EtcdLeaseRegistry r = registry(prefix);
        EtcdLeaseRegistry other = registry(prefix)) {
      LeaseStore s = LeaseStore.create(r, LeaseStoreOptions.defaults());
      Lease own =
          s.acquire(
              CONFIG,
              LeaseAttrs.of(Ipv4Address.parse("198.18.0.1"), "host-gw", null),
              Optional.empty());
      AtomicInteger renewed = new AtomicInteger();
      LeaseKeeper k =
          s.keep(
              own,
              new LeaseKeeper.Listener() {
                @Override
                public void renewed(Lease l) {
                  renewed.incrementAndGet();
                }
              });
      List<LeaseEvent> events = new CopyOnWriteArrayList<>();
      List<List<Lease>> snaps = new CopyOnWriteArrayList<>();
      LeaseWatcher w =
          s.watch(
              own.key(),
              new LeaseWatcher.Listener() {
                @Override
                public void onSnapshot(List<Lease> peers) {
                  snaps.add(peers);
                }

                @Override
                public void onEvents(List<LeaseEvent> e) {
                  events.addAll(e);
                }
              },
              k);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> snaps.size() == 1);
        int leader = leaderIndex();
        etcd.members.get(leader).stop(); // SIGTERM: etcd hands leadership over
        k.renewNow();
        await().atMost(Duration.ofSeconds(60)).until(() -> renewed.get() >= 1);
        assertThat(r.getLease(own.subnet()).orElseThrow().storeLeaseId())
            .isEqualTo(k.current().storeLeaseId());
        LeaseStore.create(other, LeaseStoreOptions.defaults())
            .acquire(
                CONFIG,
                LeaseAttrs.of(Ipv4Address.parse("198.18.0.2"), "host-gw", null),
                Optional.empty());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    events.stream()
                        .anyMatch(
                            e ->
                                e.lease().attrs() != null
                                    && e.lease()
                                        .attrs()
                                        .publicIp()
                                        .toString()
                                        .equals("198.18.0.2")));
      } finally {
        w.close();
        k.close();
      }
    }
  }

  private static int leaderIndex() throws Exception {
    for (int i = 0; i < etcd.members.size(); i++) {
      try (Client c = etcd.client(etcd.endpoint(i))) {
        StatusResponse st =
            c.getMaintenanceClient().statusMember(etcd.endpoint(i)).get(10, TimeUnit.SECONDS);
        if (st.getHeader().getMemberId() == st.getLeader()) {
          return i;
        }
      }
    }
    throw new IllegalStateException("no etcd member says it leads");
  }
}
