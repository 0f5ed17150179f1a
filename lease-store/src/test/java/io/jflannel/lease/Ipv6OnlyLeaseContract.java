package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv6Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * IPv6-only leases ({@code EnableIPv4: false}) on a registry and the lease policy over it: keys of
 * flanneld's form {@code 0.0.0.0-0&<IPv6 subnet>}, nodes told apart by PublicIPv6 (every PublicIP
 * is 0.0.0.0); and a node's IPv6 subnet kept from moving as its IPv4 one is. Mixed into {@link
 * LeaseRegistryContract}, so it runs on every registry.
 */
interface Ipv6OnlyLeaseContract {
  String V6_ONLY = Ipv6OnlyGoldenTest.V6_ONLY_CONFIG;

  LeaseRegistry registryUnderTest();

  LeaseStore storeUnderTest();

  String rawValue(String relativeKey);

  void putRawValue(String relativeKey, String value);

  static LeaseAttrs node(String ipv6) {
    return LeaseAttrs.of(new Ipv4Address(0), "vxlan", null).withIpv6(Ipv6Address.parse(ipv6), null);
  }

  @Test
  default void ipv6OnlyNodesEachTakeTheirOwnSubnetAndKeepIt() {
    NetworkConfig c = NetworkConfig.parse(V6_ONLY);
    registryUnderTest().putNetworkConfig(V6_ONLY);
    Lease a = storeUnderTest().acquire(c, node("fd00::1"), Optional.empty());
    Lease b = storeUnderTest().acquire(c, node("fd00::2"), Optional.empty());
    assertThat(a.subnet()).isNull();
    assertThat(a.key().toKey()).startsWith("0.0.0.0-0&fc00:");
    assertThat(b.ipv6Subnet()).isNotEqualTo(a.ipv6Subnet());
    assertThat(rawValue("subnets/" + a.key().toKey())).isEqualTo(node("fd00::1").toJson());
    assertThat(rawValue("subnets/" + b.key().toKey())).isEqualTo(node("fd00::2").toJson());
    // a restart finds the node's lease by its PublicIPv6
    Lease again = storeUnderTest().acquire(c, node("fd00::1"), Optional.empty(), false);
    assertThat(again.key()).isEqualTo(a.key());
    // subnet.env's subnet of a previous run is taken again when free
    SubnetKey prev = SubnetKey.parse("0.0.0.0-0&fc00:0:0:99::-64");
    assertThat(storeUnderTest().acquire(c, node("fd00::3"), prev, true).key()).isEqualTo(prev);
    assertThat(registryUnderTest().listLeases().leases()).hasSize(3);
  }

  @Test
  default void flanneldsIpv6OnlyLeaseIsReadRenewedWatchedAndDeleted() {
    String key = "subnets/0.0.0.0-0&fc00:0:0:7::-64";
    putRawValue(key, Ipv6OnlyGoldenTest.FLANNELD_V6_VXLAN);
    SubnetKey k = SubnetKey.parse(key.substring("subnets/".length()));
    Lease l = registryUnderTest().getLease(k).orElseThrow();
    assertThat(l.key()).isEqualTo(k);
    assertThat(l.attrs().nodeAddress()).isEqualTo("fd00:198:18::11");
    assertThat(registryUnderTest().getLease(SubnetKey.parse("0.0.0.0-0&fc00:0:0:8::-64")))
        .isEmpty();
    registryUnderTest().updateLease(l, l.attrs(), Duration.ofHours(1)).orElseThrow();
    assertThat(rawValue(key)).isEqualTo(Ipv6OnlyGoldenTest.FLANNELD_V6_VXLAN);
    assertThat(registryUnderTest().deleteLease(k)).isTrue();
    assertThat(rawValue(key)).isNull();
  }

  @Test
  default void keeperAndWatcherOfAnIpv6OnlyNodeTellItsLeaseFromItsPeers() {
    NetworkConfig c = NetworkConfig.parse(V6_ONLY);
    LeaseStore s = storeUnderTest();
    Lease own = s.acquire(c, node("fd00::1"), Optional.empty());
    AtomicInteger renewed = new AtomicInteger();
    AtomicInteger reacquired = new AtomicInteger();
    LeaseKeeper k = LeaseRegistryContract.keep(s, own, renewed, reacquired);
    List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    List<List<Lease>> snaps = new CopyOnWriteArrayList<>();
    LeaseWatcher w = s.watch(own.key(), LeaseRegistryContract.watcherListener(events, snaps), k);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> snaps.size() == 1);
      assertThat(snaps.get(0)).as("own lease is not a peer").isEmpty();
      Lease peer = s.acquire(c, node("fd00::2"), Optional.empty());
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
      assertThat(events.get(0).lease().key()).isEqualTo(peer.key());
      k.renewNow(); // the watch is running once a renewal has gone through
      await().atMost(Duration.ofSeconds(10)).until(() -> renewed.get() == 1);
      registryUnderTest().deleteLease(own.key());
      await().atMost(Duration.ofSeconds(10)).until(() -> reacquired.get() == 1);
      assertThat(rawValue("subnets/" + own.key().toKey())).isEqualTo(own.attrs().toJson());
      assertThat(events).as("only the peer's lease is an event").hasSize(1);
    } finally {
      w.close();
      k.close();
    }
  }

  @Test
  default void anIpv6SubnetTheConfigNoLongerAllowsIsNotMovedUnlessAllowed() {
    LeaseStore s = storeUnderTest();
    Lease v6only = s.acquire(NetworkConfig.parse(V6_ONLY), node("fd00::1"), Optional.empty());
    NetworkConfig moved = NetworkConfig.parse(V6_ONLY.replace("fc00::/48", "fd01::/48"));
    assertThatThrownBy(() -> s.acquire(moved, node("fd00::1"), Optional.empty(), false))
        .isInstanceOfSatisfying(
            LeaseStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(LeaseStoreException.Reason.WOULD_MOVE))
        .hasMessageContaining(v6only.key().toString());
    assertThat(s.acquire(moved, node("fd00::1"), Optional.empty(), true).ipv6Subnet())
        .matches(moved.ipv6()::fits);
    String dual =
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
            + "\"Backend\":{\"Type\":\"vxlan\"}}";
    LeaseAttrs a = LeaseAttrs.of(Ipv4Address.parse("198.18.0.9"), "vxlan", null);
    Lease v4only =
        s.acquire(
            NetworkConfig.parse(dual.replace(",\"EnableIPv6\":true", "")), a, Optional.empty());
    LeaseAttrs a6 = a.withIpv6(Ipv6Address.parse("fd00::9"), null);
    Lease both = s.acquire(NetworkConfig.parse(dual), a6, Optional.empty(), false);
    assertThat(both.subnet())
        .as("IPv6 turned on: gains a subnet, keeps its own")
        .isEqualTo(v4only.subnet());
    assertThatThrownBy(
            () ->
                s.acquire(
                    NetworkConfig.parse(dual.replace("fc00::/48", "fd01::/48")),
                    a6,
                    Optional.empty(),
                    false))
        .isInstanceOf(LeaseStoreException.class)
        .hasMessageContaining("no longer allows");
  }

  @Test
  default void ofTwoKeyFormsOfOneSubnetTheOneReusedIsKeptAndTheOtherDeleted() {
    String v4config = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
    LeaseAttrs a = LeaseAttrs.of(Ipv4Address.parse("198.18.0.9"), "vxlan", null);
    SubnetKey v4 = SubnetKey.parse("10.244.9.0-24");
    SubnetKey dual = SubnetKey.parse("10.244.9.0-24&fc00:0:0:9::-64");
    registryUnderTest().createLease(v4, a, Duration.ofHours(1)).orElseThrow();
    registryUnderTest().createLease(dual, a, Duration.ofHours(1)).orElseThrow();
    assertThat(registryUnderTest().getLease(dual).orElseThrow().key()).isEqualTo(dual);
    Lease kept =
        storeUnderTest().acquire(NetworkConfig.parse(v4config), a, Optional.empty(), false);
    assertThat(kept.key()).isEqualTo(v4);
    assertThat(rawValue("subnets/" + v4.toKey())).isNotNull();
    assertThat(rawValue("subnets/" + dual.toKey())).isNull();
  }
}
