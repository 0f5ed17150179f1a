package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LeaseRegistry} fulfils, and the lease policy on top of it. Subclasses
 * give a registry (in memory, real etcd).
 */
public abstract class LeaseRegistryContract
    implements Ipv6OnlyLeaseContract, LeaseConflictContract, ConfigWatchContract {
  protected static final String CONFIG =
      "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}";
  protected static final Duration TTL = Duration.ofHours(24);
  protected LeaseRegistry registry;
  protected String prefix;
  protected final List<String> malformed = new CopyOnWriteArrayList<>();

  /** A fresh registry under {@code prefix}. */
  protected abstract LeaseRegistry newRegistry(String prefix);

  /** Writes any value under the prefix, as a foreign client could. */
  protected abstract void putRaw(String relativeKey, String value);

  /** The raw value of a key under the prefix, or null. */
  protected abstract String getRaw(String relativeKey);

  /** Compacts the store's history up to {@code revision}. */
  protected abstract void compact(long revision);

  @BeforeEach
  void open() {
    prefix = "/jflannel-test/" + System.nanoTime();
    registry = newRegistry(prefix);
    registry.setObserver(
        new RegistryObserver() {
          @Override
          public void malformedLease(String key, String reason) {
            malformed.add(key);
          }
        });
  }

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  static LeaseAttrs attrs(String ip) {
    return LeaseAttrs.of(Ipv4Address.parse(ip), "host-gw", null);
  }

  static Ipv4Net net(String s) {
    return Ipv4Net.parse(s);
  }

  LeaseStore store() {
    return LeaseStore.create(
        registry, LeaseStoreOptions.defaults().withConfigRetry(Duration.ofMillis(100)));
  }

  @Override
  public LeaseRegistry registryUnderTest() {
    return registry;
  }

  @Override
  public LeaseStore storeUnderTest() {
    return store();
  }

  @Override
  public String rawValue(String relativeKey) {
    return getRaw(relativeKey);
  }

  @Override
  public void putRawValue(String relativeKey, String value) {
    putRaw(relativeKey, value);
  }

  @Test
  void configIsReadAndWaitedFor() throws Exception {
    assertThat(registry.getNetworkConfig()).isEmpty();
    Thread writer =
        new Thread(
            () -> {
              try {
                Thread.sleep(400);
              } catch (InterruptedException e) {
                return;
              }
              registry.putNetworkConfig(CONFIG);
            });
    writer.start();
    NetworkConfig c = store().awaitNetworkConfig();
    assertThat(c.network()).isEqualTo(net("10.244.0.0/16"));
    assertThat(getRaw("config")).isEqualTo(CONFIG);
  }

  @Test
  void theConfigIsCreatedOnlyWhereThereIsNone() {
    assertThat(registry.createNetworkConfig(CONFIG)).isTrue();
    assertThat(getRaw("config")).isEqualTo(CONFIG);
    String other = "{\"Network\":\"10.245.0.0/16\",\"Backend\":{\"Type\":\"udp\"}}";
    assertThat(registry.createNetworkConfig(other)).isFalse();
    assertThat(getRaw("config")).as("an existing config is never replaced").isEqualTo(CONFIG);
  }

  @Test
  void invalidConfigIsAClearError() {
    registry.putNetworkConfig("{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31}");
    assertThatThrownBy(() -> store().awaitNetworkConfig())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SubnetLen: 31");
  }

  @Test
  void createIsIfAbsentAndWritesFlannelsBytes() {
    Optional<Lease> a = registry.createLease(net("10.244.7.0/24"), attrs("198.18.0.7"), TTL);
    assertThat(a).isPresent();
    assertThat(a.get().isReservation()).isFalse();
    assertThat(registry.createLease(net("10.244.7.0/24"), attrs("198.18.0.8"), TTL)).isEmpty();
    assertThat(getRaw("subnets/10.244.7.0-24"))
        .isEqualTo("{\"PublicIP\":\"198.18.0.7\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}");
    assertThat(registry.getLease(net("10.244.7.0/24")).orElseThrow().attrs().publicIp())
        .hasToString("198.18.0.7");
    assertThat(registry.timeToLive(a.get().storeLeaseId()).orElseThrow())
        .isGreaterThan(Duration.ofHours(23));
  }

  @Test
  void renewKeepsTheStoreLeaseAliveAndSaysWhenItIsGone() {
    Lease a = registry.createLease(net("10.244.7.0/24"), attrs("198.18.0.7"), TTL).orElseThrow();
    Lease r = registry.renewLease(a).orElseThrow();
    assertThat(r.storeLeaseId()).isEqualTo(a.storeLeaseId());
    assertThat(r.expiration()).isAfter(java.time.Instant.now().plus(TTL).minusSeconds(5));
    assertThat(registry.getLease(a.subnet()).orElseThrow().modRevision())
        .as("a keep-alive writes no key")
        .isEqualTo(a.modRevision());
    assertThat(registry.deleteLease(a.subnet())).isTrue();
    assertThat(registry.renewLease(a)).as("revoked with its key").isEmpty();
  }

  @Test
  void updateComparesOnRevision() {
    Lease a = registry.createLease(net("10.244.7.0/24"), attrs("198.18.0.7"), TTL).orElseThrow();
    Lease b = registry.updateLease(a, attrs("198.18.0.7"), TTL).orElseThrow();
    assertThat(b.modRevision()).isGreaterThan(a.modRevision());
    assertThat(b.storeLeaseId())
        .as("an update keeps the live store lease: no new grant, nothing left to leak")
        .isEqualTo(a.storeLeaseId());
    assertThat(registry.updateLease(a, attrs("198.18.0.9"), TTL)).as("stale revision").isEmpty();
    assertThat(registry.deleteLease(a.subnet())).isTrue();
    assertThat(registry.deleteLease(a.subnet())).isFalse();
    assertThat(registry.updateLease(b, attrs("198.18.0.9"), TTL)).as("deleted").isEmpty();
  }

  @Test
  void listSkipsAndCountsMalformedValuesWithoutHidingValidOnes() {
    registry.createLease(net("10.244.3.0/24"), attrs("198.18.0.3"), TTL).orElseThrow();
    putRaw("subnets/10.244.4.0-24", "{\"PublicIP\":\"198.18.0.4\",\"PublicIPv6\":null}");
    putRaw("subnets/10.244.5.0-24", "not json");
    putRaw("subnets/banana", "{\"PublicIP\":\"198.18.0.6\"}");
    putRaw("subnets/10.244.2.0-24", "{\"PublicIP\":\"198.18.0.2\",\"Extra\":{\"a\":1}}");
    LeaseSnapshot s = registry.listLeases();
    assertThat(s.leases())
        .extracting(l -> l.subnet().toString())
        .containsExactly("10.244.2.0/24", "10.244.3.0/24", "10.244.4.0/24");
    assertThat(s.malformed()).isEqualTo(2);
    assertThat(malformed).contains(prefix + "/subnets/10.244.5.0-24", prefix + "/subnets/banana");
    assertThat(s.revision()).isPositive();
    assertThat(s.leases().get(0).isReservation()).isTrue();
  }

  @Test
  void leasesExpireAndReservationsDoNot() {
    registry
        .createLease(net("10.244.8.0/24"), attrs("198.18.0.8"), Duration.ofSeconds(2))
        .orElseThrow();
    registry.createLease(net("10.244.9.0/24"), attrs("198.18.0.9"), null).orElseThrow();
    List<LeaseEvent> seen = new CopyOnWriteArrayList<>();
    registry.watchLeases(registry.listLeases().revision() + 1, listener(seen, null));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> registry.getLease(net("10.244.8.0/24")).isEmpty());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> seen.stream().anyMatch(e -> e.type() == LeaseEvent.Type.REMOVED));
    assertThat(seen)
        .extracting(e -> e.lease().subnet().toString())
        .containsExactly("10.244.8.0/24");
    assertThat(registry.getLease(net("10.244.9.0/24")).orElseThrow().isReservation()).isTrue();
  }

  @Test
  void watchDeliversEveryEventOfEveryResponseInOrder() throws Exception {
    long from = registry.listLeases().revision() + 1;
    List<LeaseEvent> seen = new CopyOnWriteArrayList<>();
    registry.watchLeases(from, listener(seen, null));
    for (int i = 1; i <= 50; i++) {
      registry.createLease(net("10.244." + i + ".0/24"), attrs("198.18.1." + i), TTL).orElseThrow();
    }
    registry.deleteLease(net("10.244.50.0/24"));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 51);
    assertThat(seen.get(0).lease().subnet()).isEqualTo(net("10.244.1.0/24"));
    assertThat(seen.get(50).type()).isEqualTo(LeaseEvent.Type.REMOVED);
    assertThat(seen.get(50).lease().attrs().publicIp()).hasToString("198.18.1.50");
    // replay from an old revision sees the same history
    List<LeaseEvent> replay = new CopyOnWriteArrayList<>();
    registry.watchLeases(from, listener(replay, null));
    await().atMost(Duration.ofSeconds(10)).until(() -> replay.size() == 51);
  }

  @Test
  void watchFromACompactedRevisionSaysSo() {
    long first =
        registry
            .createLease(net("10.244.1.0/24"), attrs("198.18.0.1"), TTL)
            .orElseThrow()
            .modRevision();
    long last =
        registry
            .createLease(net("10.244.2.0/24"), attrs("198.18.0.2"), TTL)
            .orElseThrow()
            .modRevision();
    compact(last);
    AtomicLong compacted = new AtomicLong();
    registry.watchLeases(first, listener(new ArrayList<>(), compacted));
    await().atMost(Duration.ofSeconds(10)).until(() -> compacted.get() > 0);
    assertThat(compacted.get()).isGreaterThanOrEqualTo(last);
  }

  @Test
  void dualStackLeasesLiveUnderFlanneldsKeyAndAreWatched() throws Exception {
    long from = registry.listLeases().revision() + 1;
    List<LeaseEvent> seen = new CopyOnWriteArrayList<>();
    registry.watchLeases(from, listener(seen, null));
    putRaw("subnets/10.244.7.0-24&fc00:0:0:7::-64", DualStackGoldenTest.FLANNELD_DUAL_VXLAN);
    Lease l = registry.getLease(net("10.244.7.0/24")).orElseThrow();
    assertThat(l.ipv6Subnet()).hasToString("fc00:0:0:7::/64");
    assertThat(l.attrs().publicIpv6()).isEqualTo("fd00:198:18::11");
    assertThat(registry.listLeases().leases())
        .extracting(Lease::ipv6Subnet)
        .contains(l.ipv6Subnet());
    // a renewal-style rewrite keeps the key and the value byte for byte
    registry.updateLease(l, l.attrs(), TTL).orElseThrow();
    assertThat(getRaw("subnets/10.244.7.0-24&fc00:0:0:7::-64"))
        .isEqualTo(DualStackGoldenTest.FLANNELD_DUAL_VXLAN);
    assertThat(getRaw("subnets/10.244.7.0-24")).isNull();
    assertThat(registry.deleteLease(net("10.244.7.0/24"))).isTrue();
    assertThat(getRaw("subnets/10.244.7.0-24&fc00:0:0:7::-64")).isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
    assertThat(seen).allSatisfy(e -> assertThat(e.lease().ipv6Subnet()).isEqualTo(l.ipv6Subnet()));
    assertThat(seen.get(2).type()).isEqualTo(LeaseEvent.Type.REMOVED);
    assertThat(malformed).isEmpty();
  }

  @Test
  void dualStackAcquireTakesASubnetOfEachFamilyAndAddsIpv6ToAnOldLease() {
    String dual =
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
            + "\"Backend\":{\"Type\":\"host-gw\"}}";
    NetworkConfig c = NetworkConfig.parse(dual);
    registry.putNetworkConfig(dual);
    LeaseAttrs a = attrs("198.18.0.1").withIpv6(Ipv6Address.parse("fd00::1"), null);
    Lease first = store().acquire(c, a, Optional.empty());
    assertThat(c.fits(first)).isTrue();
    assertThat(getRaw("subnets/" + first.key().toKey())).isEqualTo(a.toJson());
    Lease other =
        store()
            .acquire(
                c,
                attrs("198.18.0.2").withIpv6(Ipv6Address.parse("fd00::2"), null),
                Optional.empty());
    assertThat(other.ipv6Subnet()).isNotEqualTo(first.ipv6Subnet());
    // subnet.env's subnets of a previous run are taken again when free, both families (flanneld)
    SubnetKey prev =
        new SubnetKey(net("10.244.150.0/24"), io.jflannel.net.Ipv6Net.parse("fc00:0:0:77::/64"));
    Lease back =
        store()
            .acquire(
                c, attrs("198.18.0.4").withIpv6(Ipv6Address.parse("fd00::4"), null), prev, true);
    assertThat(back.key()).isEqualTo(prev);
    // a node of an IPv4-only past keeps its IPv4 subnet and gains an IPv6 one (its subnet lies
    // beyond the first 100 free ones the two leases above were picked from)
    Lease old =
        registry.createLease(net("10.244.200.0/24"), attrs("198.18.0.3"), TTL).orElseThrow();
    Lease now =
        store()
            .acquire(
                c,
                attrs("198.18.0.3").withIpv6(Ipv6Address.parse("fd00::3"), null),
                Optional.empty(),
                false);
    assertThat(now.subnet()).isEqualTo(old.subnet());
    assertThat(now.ipv6Subnet()).isNotNull();
    assertThat(getRaw("subnets/10.244.200.0-24")).isNull();
  }

  // ---- policy (LeaseStore) on this registry ----

  @Test
  void acquireReusesOwnLeaseThenPreviousSubnetThenRandom() {
    registry.putNetworkConfig(CONFIG);
    NetworkConfig c = NetworkConfig.parse(CONFIG);
    LeaseStore s = store();
    Lease first = s.acquire(c, attrs("198.18.0.1"), Optional.empty());
    assertThat(c.fits(first.subnet())).isTrue();
    Lease again = s.acquire(c, attrs("198.18.0.1"), Optional.of(net("10.244.200.0/24")));
    assertThat(again.subnet()).as("own lease wins over previous subnet").isEqualTo(first.subnet());
    assertThat(registry.listLeases().leases()).hasSize(1);
    Lease prev = s.acquire(c, attrs("198.18.0.2"), Optional.of(net("10.244.200.0/24")));
    assertThat(prev.subnet()).isEqualTo(net("10.244.200.0/24"));
    Lease taken = s.acquire(c, attrs("198.18.0.3"), Optional.of(net("10.244.200.0/24")));
    assertThat(taken.subnet()).isNotEqualTo(net("10.244.200.0/24"));
  }

  @Test
  void ownLeaseThatNoLongerFitsIsReplacedAndUnknownFieldsKept() {
    registry
        .createLease(net("10.245.1.0/24"), attrs("198.18.0.1"), TTL)
        .orElseThrow(); // config changed since
    registry
        .createLease(net("10.245.2.0/24"), attrs("198.18.0.1"), null)
        .orElseThrow(); // an operator's reservation
    putRaw(
        "subnets/10.244.9.0-24",
        "{\"PublicIP\":\"198.18.0.2\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\",\"Zone\":\"b\"}");
    registry.createLease(
        net("10.244.9.0/24"), attrs("198.18.0.2"), TTL); // reservation exists: no-op
    NetworkConfig c = NetworkConfig.parse(CONFIG);
    Lease l = store().acquire(c, attrs("198.18.0.1"), Optional.empty());
    assertThat(c.fits(l.subnet())).isTrue();
    assertThat(registry.getLease(net("10.245.1.0/24")))
        .as("own lease outside the config is deleted")
        .isEmpty();
    assertThat(registry.getLease(net("10.245.2.0/24")))
        .as("reservations are never deleted")
        .isPresent();
    Lease r =
        store()
            .acquire(
                c,
                LeaseAttrs.of(Ipv4Address.parse("198.18.0.2"), "vxlan", Json.object("VNI", 1)),
                Optional.empty());
    assertThat(r.subnet()).isEqualTo(net("10.244.9.0/24"));
    assertThat(r.isReservation()).as("a reservation stays a reservation").isTrue();
    assertThat(getRaw("subnets/10.244.9.0-24"))
        .isEqualTo(
            "{\"PublicIP\":\"198.18.0.2\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1},\"Zone\":\"b\"}");
  }

  @Test
  void reservationsOfOtherNodesAreHonouredAndExhaustionNamesTheNetwork() {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.244.1.0\",\"SubnetMax\":\"10.244.3.0\"}");
    registry.createLease(net("10.244.1.0/24"), attrs("198.18.0.1"), null).orElseThrow();
    registry.createLease(net("10.244.2.0/24"), attrs("198.18.0.2"), TTL).orElseThrow();
    assertThat(store().acquire(c, attrs("198.18.0.3"), Optional.of(net("10.244.1.0/24"))).subnet())
        .isEqualTo(net("10.244.3.0/24"));
    assertThatThrownBy(() -> store().acquire(c, attrs("198.18.0.4"), Optional.empty()))
        .isInstanceOf(LeaseStoreException.class)
        .hasMessageContaining("out of subnets in 10.244.0.0/16")
        .extracting(e -> ((LeaseStoreException) e).reason())
        .isEqualTo(LeaseStoreException.Reason.OUT_OF_SUBNETS);
  }

  @Test
  void concurrentAcquisitionsNeverShareASubnet() throws Exception {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":24,\"SubnetMin\":\"10.244.1.0\",\"SubnetMax\":\"10.244.64.0\"}");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Lease>> fs = new ArrayList<>();
    LeaseStore s = store();
    for (int i = 0; i < 64; i++) {
      String ip = "198.18.2." + (i + 1);
      fs.add(pool.submit(() -> s.acquire(c, attrs(ip), Optional.empty())));
    }
    Set<Ipv4Net> got = ConcurrentHashMap.newKeySet();
    for (Future<Lease> f : fs) {
      got.add(f.get().subnet());
    }
    pool.shutdown();
    assertThat(got).hasSize(64);
    assertThat(registry.listLeases().leases()).hasSize(64);
  }

  /** Keeps {@code l}, counting renewals and re-acquisitions. */
  static LeaseKeeper keep(LeaseStore s, Lease l, AtomicInteger renewed, AtomicInteger reacquired) {
    return s.keep(
        l,
        new LeaseKeeper.Listener() {
          @Override
          public void renewed(Lease x) {
            renewed.incrementAndGet();
          }

          @Override
          public void reacquired(Lease x) {
            reacquired.incrementAndGet();
          }
        });
  }

  @Test
  void keeperRenewsAndRetakesItsSubnetWhenTheKeyIsDeleted() {
    LeaseStore s = store();
    Lease l = s.acquire(NetworkConfig.parse(CONFIG), attrs("198.18.0.1"), Optional.empty());
    AtomicInteger renewed = new AtomicInteger();
    AtomicInteger reacquired = new AtomicInteger();
    LeaseKeeper k = keep(s, l, renewed, reacquired);
    List<LeaseEvent> peers = new CopyOnWriteArrayList<>();
    LeaseWatcher w = s.watch(l.key(), watcherListener(peers, new CopyOnWriteArrayList<>()), k);
    try {
      k.renewNow();
      await().atMost(Duration.ofSeconds(10)).until(() -> renewed.get() == 1);
      assertThat(k.current().storeLeaseId())
          .as("renewed by keep-alive")
          .isEqualTo(l.storeLeaseId());
      assertThat(k.current().expiration()).isAfter(l.expiration().minusSeconds(1));
      registry.deleteLease(l.subnet());
      await().atMost(Duration.ofSeconds(10)).until(() -> reacquired.get() == 1);
      assertThat(registry.getLease(l.subnet()).orElseThrow().attrs().publicIp())
          .hasToString("198.18.0.1");
      assertThat(peers).as("own lease is not a peer").isEmpty();
    } finally {
      w.close();
      k.close();
    }
  }

  @Test
  void keeperRetakesBothSubnetsOfADualStackLease() {
    String dual =
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
            + "\"Backend\":{\"Type\":\"host-gw\"}}";
    LeaseStore s = store();
    Lease l =
        s.acquire(
            NetworkConfig.parse(dual),
            attrs("198.18.0.1").withIpv6(Ipv6Address.parse("fd00::1"), null),
            Optional.empty());
    AtomicInteger renewed = new AtomicInteger();
    AtomicInteger reacquired = new AtomicInteger();
    LeaseKeeper k = keep(s, l, renewed, reacquired);
    LeaseWatcher w =
        s.watch(
            l.key(),
            watcherListener(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()),
            k);
    try {
      k.renewNow(); // as above: the watch is running once a renewal has gone through
      await().atMost(Duration.ofSeconds(10)).until(() -> renewed.get() == 1);
      registry.deleteLease(l.subnet());
      await().atMost(Duration.ofSeconds(10)).until(() -> reacquired.get() == 1);
      assertThat(registry.getLease(l.subnet()).orElseThrow().ipv6Subnet())
          .isEqualTo(l.ipv6Subnet());
      assertThat(getRaw("subnets/" + l.key().toKey())).isEqualTo(l.attrs().toJson());
      assertThat(getRaw("subnets/" + l.subnet().toKey())).isNull();
    } finally {
      w.close();
      k.close();
    }
  }

  @Test
  void watcherGivesSnapshotThenEventsWithoutOwnLease() {
    registry.createLease(net("10.244.1.0/24"), attrs("198.18.0.1"), TTL).orElseThrow();
    registry.createLease(net("10.244.2.0/24"), attrs("198.18.0.2"), TTL).orElseThrow();
    List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    List<List<Lease>> snapshots = new CopyOnWriteArrayList<>();
    LeaseWatcher w = store().watch(net("10.244.1.0/24"), watcherListener(events, snapshots), null);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.size() == 1);
      assertThat(snapshots.get(0))
          .extracting(l -> l.subnet().toString())
          .containsExactly("10.244.2.0/24");
      registry.createLease(net("10.244.3.0/24"), attrs("198.18.0.3"), TTL).orElseThrow();
      registry.deleteLease(net("10.244.2.0/24"));
      registry.deleteLease(net("10.244.1.0/24"));
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
      assertThat(events)
          .extracting(e -> e.type() + " " + e.lease().subnet())
          .containsExactly("ADDED 10.244.3.0/24", "REMOVED 10.244.2.0/24");
    } finally {
      w.close();
    }
  }

  @Test
  void eventsArrivingWhileTheListenerIsBusyAreHandedOverTogetherInOrder() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch listed = new java.util.concurrent.CountDownLatch(1);
    LeaseWatcher.Listener slow =
        new LeaseWatcher.Listener() {
          @Override
          public void onSnapshot(List<Lease> peers) {
            listed.countDown();
          }

          @Override
          public void onEvents(List<LeaseEvent> events) {
            if (calls.incrementAndGet() == 1) {
              busy.countDown();
              try {
                release.await(); // the listener is busy programming the kernel
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            events.forEach(e -> seen.add(e.type() + " " + e.lease().subnet()));
          }
        };
    LeaseWatcher w = store().watch(net("10.244.255.0/24"), slow, null);
    try {
      assertThat(listed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      registry.createLease(net("10.244.0.0/24"), attrs("198.18.0.100"), TTL).orElseThrow();
      assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      List<String> want = new ArrayList<>(List.of("ADDED 10.244.0.0/24"));
      for (int i = 1; i <= 50; i++) {
        registry.createLease(net("10.244." + i + ".0/24"), attrs("198.18.0." + i), TTL);
        want.add("ADDED 10.244." + i + ".0/24");
      }
      registry.deleteLease(net("10.244.0.0/24"));
      want.add("REMOVED 10.244.0.0/24");
      Thread.sleep(300); // the store delivers the watch responses meanwhile
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == want.size());
      assertThat(seen).containsExactlyElementsOf(want);
      assertThat(calls.get()).as("listener calls for 52 events").isLessThanOrEqualTo(3);
    } finally {
      release.countDown();
      w.close();
    }
  }

  protected static LeaseWatcher.Listener watcherListener(
      List<LeaseEvent> events, List<List<Lease>> snapshots) {
    return new LeaseWatcher.Listener() {
      @Override
      public void onSnapshot(List<Lease> peers) {
        snapshots.add(peers);
      }

      @Override
      public void onEvents(List<LeaseEvent> e) {
        events.addAll(e);
      }
    };
  }

  static RegistryWatch.Listener listener(List<LeaseEvent> seen, AtomicLong compacted) {
    return new RegistryWatch.Listener() {
      @Override
      public void onEvents(List<LeaseEvent> events, long revision) {
        seen.addAll(events);
      }

      @Override
      public void onCompacted(long rev) {
        if (compacted != null) {
          compacted.set(rev);
        }
      }

      @Override
      public void onError(Throwable error) {
        Collections.emptyList();
      }
    };
  }
}
