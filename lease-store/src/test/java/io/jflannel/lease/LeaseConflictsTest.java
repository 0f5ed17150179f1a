package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseConflictsTest {
  static final NetworkConfig V4 =
      NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
  static final NetworkConfig DUAL =
      NetworkConfig.parse(
          "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
              + "\"Backend\":{\"Type\":\"vxlan\"}}");

  /** A lease created at {@code rev}: subnet 10.244.n.0/24 (and fc00:0:0:v6::/64), node .ip. */
  static Lease lease(int n, Integer v6, int ip, String mac, long rev) {
    var attrs =
        LeaseAttrs.of(
            Ipv4Address.parse("198.18.0." + ip), "vxlan", Json.object("VNI", 1, "VtepMAC", mac));
    Ipv6Net s6 = null;
    if (v6 != null) {
      s6 = Ipv6Net.parse("fc00:0:0:" + v6 + "::/64");
      attrs = attrs.withIpv6(io.jflannel.net.Ipv6Address.parse("fd00::" + ip), null);
    }
    return new Lease(Ipv4Net.parse("10.244." + n + ".0/24"), attrs, 7, null, rev, s6, rev);
  }

  @Test
  void theOlderLeaseKeepsASubnetAnotherKeyFormAlsoNames() {
    Lease node3 = lease(39, null, 13, "aa:bb:cc:00:00:03", 10);
    Lease rogue = lease(39, 99, 9, "aa:bb:cc:00:00:0a", 20); // 10.244.39.0-24&fc00:0:0:99::-64
    LeaseConflicts c = new LeaseConflicts(V4);
    assertThat(c.put(node3)).isEmpty();
    assertThat(c.put(rogue)).as("node 3's verdict does not change").isEmpty();
    assertThat(c.conflict(node3.key())).isNull();
    assertThat(c.conflict(rogue.key()).reason())
        .isEqualTo(
            "conflict: IPv4 subnet 10.244.39.0/24 is held by the older lease 10.244.39.0-24"
                + " (198.18.0.13)");
    assertThat(c.remove(rogue.key())).as("deleting the rogue changes nothing").isEmpty();
    assertThat(c.conflict(node3.key())).isNull();
  }

  @Test
  void everyClaimConflicts_PublicIp_VtepMac_Ipv6SubnetAndAddress() {
    Lease a = lease(1, 1, 1, "aa:bb:cc:00:00:01", 5);
    LeaseConflicts c = new LeaseConflicts(DUAL);
    c.put(a);
    c.put(lease(2, 2, 1, "aa:bb:cc:00:00:02", 6));
    c.put(lease(3, 3, 3, "AA:BB:CC:00:00:01", 7)); // the MAC in another spelling
    c.put(lease(4, 1, 4, "aa:bb:cc:00:00:04", 8));
    assertThat(c.conflict(lease(2, 2, 1, "x", 6).key()).claim()).isEqualTo("PublicIP 198.18.0.1");
    assertThat(c.conflict(lease(3, 3, 3, "x", 7).key()).claim())
        .isEqualTo("VtepMAC aa:bb:cc:00:00:01");
    assertThat(c.conflict(lease(4, 1, 4, "x", 8).key()).claim())
        .isEqualTo("IPv6 subnet fc00:0:0:1::/64");
    assertThat(c.conflictCount()).isEqualTo(3);
  }

  @Test
  void whenTheHolderLeavesTheYoungerLeaseTakesOverAndALoserClaimsNothing() {
    Lease a = lease(5, null, 1, "aa:bb:cc:00:00:01", 1);
    Lease b = lease(5, 9, 2, "aa:bb:cc:00:00:02", 2); // another key form; loses 10.244.5.0/24
    Lease c = lease(6, null, 2, "aa:bb:cc:00:00:03", 3); // shares b's PublicIP, but b lost
    LeaseConflicts x = new LeaseConflicts(V4);
    x.put(a);
    x.put(b);
    x.put(c);
    assertThat(x.conflict(b.key())).isNotNull();
    assertThat(x.conflict(c.key())).as("a loser claims nothing").isNull();
    Set<SubnetKey> changed = x.remove(a.key());
    assertThat(changed).containsExactlyInAnyOrder(b.key(), c.key());
    assertThat(x.conflict(b.key())).isNull();
    assertThat(x.conflict(c.key()).claim()).isEqualTo("PublicIP 198.18.0.2");
  }

  @Test
  void theVerdictsAreTheSameWhateverOrderTheLeasesArriveIn() {
    Random r = new Random(42);
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 60; i++) { // few subnets, addresses and MACs: many conflicts and chains
      leases.add(
          lease(
              r.nextInt(8), r.nextInt(8), 1 + r.nextInt(8), "aa:00:00:00:00:0" + r.nextInt(8), i));
    }
    leases.removeIf(l -> leases.stream().anyMatch(o -> o != l && o.key().equals(l.key())));
    Map<SubnetKey, LeaseConflicts.Conflict> batch = LeaseConflicts.of(DUAL, leases, l -> true);
    assertThat(batch).isNotEmpty();
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(leases, r);
      LeaseConflicts inc = new LeaseConflicts(DUAL);
      leases.forEach(inc::put);
      for (Lease l : leases) {
        assertThat(inc.conflict(l.key())).as("%s", l.key()).isEqualTo(batch.get(l.key()));
      }
      // and taking half of them away leaves the verdicts of a fresh index over the rest
      List<Lease> rest = new ArrayList<>(leases.subList(0, leases.size() / 2));
      leases.subList(leases.size() / 2, leases.size()).forEach(l -> inc.remove(l.key()));
      Map<SubnetKey, LeaseConflicts.Conflict> fresh = LeaseConflicts.of(DUAL, rest, l -> true);
      for (Lease l : rest) {
        assertThat(inc.conflict(l.key())).as("%s", l.key()).isEqualTo(fresh.get(l.key()));
      }
    }
  }

  @Test
  void claimsFollowTheFamiliesTheNetworkEnablesAndIpv6OnlyAddressesAreNone() {
    NetworkConfig v6only =
        NetworkConfig.parse(
            "{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
                + "\"Backend\":{\"Type\":\"host-gw\"}}");
    LeaseConflicts c = new LeaseConflicts(v6only);
    Lease a =
        new Lease(
            null,
            LeaseAttrs.of(new Ipv4Address(0), "host-gw", null)
                .withIpv6(io.jflannel.net.Ipv6Address.parse("fd00::1"), null),
            7,
            null,
            1,
            Ipv6Net.parse("fc00:0:0:1::/64"),
            1);
    Lease b =
        new Lease(
            null,
            LeaseAttrs.of(new Ipv4Address(0), "host-gw", null)
                .withIpv6(io.jflannel.net.Ipv6Address.parse("fd00::2"), null),
            7,
            null,
            2,
            Ipv6Net.parse("fc00:0:0:2::/64"),
            2);
    c.put(a);
    c.put(b);
    assertThat(c.conflictCount()).as("PublicIP 0.0.0.0 is no claim").isZero();
    assertThat(new LeaseConflicts(V4).claims(lease(1, 1, 1, "aa:bb:cc:00:00:01", 1)))
        .as("an IPv4-only network ignores a lease's IPv6 side")
        .containsExactly(
            "IPv4 subnet 10.244.1.0/24", "PublicIP 198.18.0.1", "VtepMAC aa:bb:cc:00:00:01");
  }
}
