package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * No two live leases share a subnet of either family, whatever the timing: nodes that list the
 * leases before any of them writes may pick one IPv6 subnet under different keys (the create
 * transaction guards only its own key); the younger finds the older right after its create and
 * picks again. Mixed into {@link LeaseRegistryContract}, so it runs on every registry.
 */
interface LeaseConflictContract {
  String DUAL =
      "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
          + "\"Backend\":{\"Type\":\"host-gw\"}}";
  String ONE_V6 =
      "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
          + "\"IPv6SubnetMin\":\"fc00:0:0:1::\",\"IPv6SubnetMax\":\"fc00:0:0:1::\","
          + "\"Backend\":{\"Type\":\"host-gw\"}}";

  LeaseRegistry registryUnderTest();

  static LeaseAttrs node(int n) {
    return LeaseAttrs.of(Ipv4Address.parse("198.18.3." + n), "host-gw", null)
        .withIpv6(Ipv6Address.parse("fd00::3:" + n), null);
  }

  /**
   * {@code n} nodes acquiring at once on a registry that makes them all list first; each is given
   * another IPv4 subnet as its previous one, and all the same random source, so that they pick the
   * same IPv6 subnet under different keys. Returns each node's lease or failure.
   */
  private List<Object> race(NetworkConfig c, int n) throws Exception {
    RacingRegistry racing = new RacingRegistry(registryUnderTest(), n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Object>> fs = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        int node = i;
        LeaseStoreOptions o =
            new LeaseStoreOptions(
                Duration.ofHours(24),
                Duration.ofMinutes(60),
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                new Random(7));
        LeaseStore s = LeaseStore.create(racing, o);
        SubnetKey previous = new SubnetKey(Ipv4Net.parse("10.244." + (10 + i) + ".0/24"), null);
        fs.add(
            pool.submit(
                () -> {
                  try {
                    return s.acquire(c, node(node), previous, true);
                  } catch (LeaseStoreException e) {
                    return e;
                  }
                }));
      }
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : fs) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** No two leases in the registry share a subnet of either family. */
  private void noSharedSubnets() {
    Set<Ipv4Net> v4 = new HashSet<>();
    Set<Ipv6Net> v6 = new HashSet<>();
    for (Lease l : registryUnderTest().listLeases().leases()) {
      assertThat(l.subnet() == null || v4.add(l.subnet())).as("IPv4 %s twice", l.subnet()).isTrue();
      assertThat(l.ipv6Subnet() == null || v6.add(l.ipv6Subnet()))
          .as("IPv6 %s twice", l.ipv6Subnet())
          .isTrue();
    }
  }

  @Test
  default void racingDualStackNodesNeverHoldOneIpv6Subnet() throws Exception {
    NetworkConfig c = NetworkConfig.parse(DUAL);
    List<Object> got = race(c, 5);
    assertThat(got).allMatch(x -> x instanceof Lease, "every node gets a lease");
    noSharedSubnets();
    assertThat(registryUnderTest().listLeases().leases()).hasSize(5);
  }

  @Test
  default void withOneIpv6SubnetExactlyOneNodeHoldsItAndTheOthersFailWithOneLine()
      throws Exception {
    NetworkConfig c = NetworkConfig.parse(ONE_V6);
    List<Object> got = race(c, 3);
    List<Lease> won = got.stream().filter(Lease.class::isInstance).map(Lease.class::cast).toList();
    assertThat(won).hasSize(1);
    assertThat(won.get(0).ipv6Subnet()).isEqualTo(Ipv6Net.parse("fc00:0:0:1::/64"));
    for (Object x : got) {
      if (x instanceof LeaseStoreException e) {
        assertThat(e.reason()).isEqualTo(LeaseStoreException.Reason.OUT_OF_SUBNETS);
        assertThat(e.getMessage())
            .startsWith("out of IPv6 subnets in fc00::/48")
            .doesNotContain("\n");
      }
    }
    assertThat(registryUnderTest().listLeases().leases()).hasSize(1);
  }

  @Test
  default void aYoungerLeaseSharingASubnetGivesItUpWhenItsNodeStartsAndTheOlderKeepsIt() {
    NetworkConfig c = NetworkConfig.parse(DUAL);
    LeaseStore s =
        LeaseStore.create(
            registryUnderTest(),
            LeaseStoreOptions.defaults().withTtl(Duration.ofHours(1), Duration.ofMinutes(1)));
    Lease older = s.acquire(c, node(1), (SubnetKey) null, true);
    SubnetKey dup = new SubnetKey(Ipv4Net.parse("10.244.200.0/24"), older.ipv6Subnet());
    // the duplicate a race of an earlier release could leave behind, held by node 2
    registryUnderTest().createLease(dup, node(2), Duration.ofHours(1)).orElseThrow();
    Lease mine = s.acquire(c, node(2), dup, true);
    assertThat(mine.ipv6Subnet()).isNotEqualTo(older.ipv6Subnet());
    assertThat(registryUnderTest().getLease(older.key())).isPresent();
    assertThat(registryUnderTest().getLease(dup)).isEmpty();
    noSharedSubnets();
  }
}
