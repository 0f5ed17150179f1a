package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IPv6-only keys, lease values and subnet.env exactly as flanneld v0.28 writes them: {@code
 * MakeSubnetKey} of an empty IPv4 subnet, {@code newSubnetAttrs} without an IPv4 device (PublicIP
 * 0.0.0.0, no BackendData), {@code WriteSubnetFile} with {@code EnableIPv4} false.
 */
class Ipv6OnlyGoldenTest {
  /** An IPv6-only vxlan lease as flanneld marshals it. */
  static final String FLANNELD_V6_VXLAN =
      "{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"fd00:198:18::11\",\"BackendType\":\"vxlan\","
          + "\"BackendV6Data\":{\"VNI\":1,\"VtepMAC\":\"ae:12:2b:90:01:02\"}}";

  static final String V6_ONLY_CONFIG =
      "{\"EnableIPv4\": false, \"EnableIPv6\": true, \"IPv6Network\": \"fc00::/48\","
          + " \"Backend\": {\"Type\": \"vxlan\"}}";

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0-0&fc00:0:0:1::-64, fc00:0:0:1::/64",
    "0.0.0.0-0&fd00:1::40-122, fd00:1::40/122",
    "0.0.0.0-0&fc00::-64, fc00::/64"
  })
  void keysParseAndFormatAsFlanneldWritesThem(String key, String v6) {
    SubnetKey k = SubnetKey.parse(key);
    assertThat(k.ipv4()).isNull();
    assertThat(k.ipv6()).isEqualTo(Ipv6Net.parse(v6));
    assertThat(k.toKey()).isEqualTo(key);
    assertThat(new LeaseKeys("/coreos.com/network").subnetsOf("/coreos.com/network/subnets/" + key))
        .contains(k);
  }

  @Test
  void keysOfTwoIpv6OnlyLeasesAreDistinctPeersButShareNothing() {
    SubnetKey a = SubnetKey.parse("0.0.0.0-0&fc00:0:0:1::-64");
    SubnetKey b = SubnetKey.parse("0.0.0.0-0&fc00:0:0:2::-64");
    assertThat(a).isNotEqualTo(b);
    assertThat(a.shares(b)).isFalse(); // the empty IPv4 part is no subnet of either
    assertThat(a.shares(SubnetKey.parse("10.244.1.0-24&fc00:0:0:1::-64"))).isTrue();
    assertThat(a.names(b)).isFalse();
    assertThat(a).hasToString("fc00:0:0:1::/64");
  }

  @Test
  void leaseValueRoundTripsByteForByteAndNamesItsNodeByPublicIpv6() {
    LeaseAttrs a = LeaseAttrs.fromJson(FLANNELD_V6_VXLAN);
    assertThat(a.publicIp()).isEqualTo(new Ipv4Address(0));
    assertThat(a.backendData()).isNull();
    assertThat(a.toJson()).isEqualTo(FLANNELD_V6_VXLAN);
    assertThat(a.nodeAddress()).isEqualTo("fd00:198:18::11");
    LeaseAttrs other =
        LeaseAttrs.fromJson(FLANNELD_V6_VXLAN.replace("fd00:198:18::11", "fd00:198:18::12"));
    assertThat(a.sameNode(other)).isFalse(); // PublicIP 0.0.0.0 in both is not one node
    assertThat(a.sameNode(LeaseAttrs.fromJson(FLANNELD_V6_VXLAN))).isTrue();
  }

  @Test
  void subnetEnvHasOnlyTheIpv6Variables() {
    SubnetEnv env =
        new SubnetEnv(
            null, null, 1430, true, Ipv6Net.parse("fc00::/48"), Ipv6Net.parse("fc00:0:0:1::/64"));
    assertThat(env.format())
        .isEqualTo(
            "FLANNEL_IPV6_NETWORK=fc00::/48\n"
                + "FLANNEL_IPV6_SUBNET=fc00:0:0:1::1/64\n"
                + "FLANNEL_MTU=1430\n"
                + "FLANNEL_IPMASQ=true\n");
    assertThat(SubnetEnv.parse(env.format())).isEqualTo(env);
    assertThat(env.subnets()).isEqualTo(SubnetKey.parse("0.0.0.0-0&fc00:0:0:1::-64"));
  }

  @Test
  void configWithoutIpv4HasNoIpv4NetworkAndFitsIpv6OnlyLeasesOnly() {
    NetworkConfig c = NetworkConfig.parse(V6_ONLY_CONFIG);
    assertThat(c.ipv4()).isFalse();
    assertThat(c.network()).isNull();
    assertThat(c.ipv6().network()).isEqualTo(Ipv6Net.parse("fc00::/48"));
    assertThat(c.networks()).isEqualTo("fc00::/48");
    LeaseAttrs attrs = LeaseAttrs.fromJson(FLANNELD_V6_VXLAN);
    assertThat(c.fits(lease("0.0.0.0-0&fc00:0:0:1::-64", attrs))).isTrue();
    assertThat(c.fits(lease("0.0.0.0-0&fd00:0:0:1::-64", attrs))).isFalse();
    // a lease's IPv4 part is ignored by a network without IPv4, as flanneld ignores it
    assertThat(c.fits(lease("10.244.1.0-24&fc00:0:0:1::-64", attrs))).isTrue();
    assertThat(LeaseValidator.forCluster(c).reject(lease("0.0.0.0-0&fc00:0:0:1::-64", attrs)))
        .isNull();
    assertThat(LeaseValidator.forCluster(c).reject(lease("10.244.1.0-24", attrs)))
        .contains("no IPv6 subnet");
  }

  @Test
  void ipv6OnlyLeaseIsRejectedByANetworkWithIpv4() {
    NetworkConfig dual =
        NetworkConfig.parse(
            "{\"Network\": \"10.244.0.0/16\", \"EnableIPv6\": true, \"IPv6Network\":"
                + " \"fc00::/48\", \"Backend\": {\"Type\": \"vxlan\"}}");
    Lease v6only = lease("0.0.0.0-0&fc00:0:0:1::-64", LeaseAttrs.fromJson(FLANNELD_V6_VXLAN));
    assertThat(dual.fits(v6only)).isFalse();
    assertThat(LeaseValidator.forCluster(dual).reject(v6only)).contains("no IPv4 subnet");
  }

  @Test
  void ownIpv6OnlyLeaseIsNotAPeer() {
    NetworkConfig c = NetworkConfig.parse(V6_ONLY_CONFIG);
    SubnetKey own = SubnetKey.parse("0.0.0.0-0&fc00:0:0:1::-64");
    LeaseValidator v =
        new LeaseValidator(c, own, new Ipv4Address(0), Ipv6Address.parse("fd00:198:18::11"));
    LeaseAttrs attrs = LeaseAttrs.fromJson(FLANNELD_V6_VXLAN);
    assertThat(v.reject(lease("0.0.0.0-0&fc00:0:0:1::-64", attrs))).contains("this node's own");
    assertThat(v.reject(lease("0.0.0.0-0&fc00:0:0:2::-64", attrs)))
        .contains("PublicIPv6 fd00:198:18::11 is this node's own");
    LeaseAttrs peer =
        LeaseAttrs.fromJson(FLANNELD_V6_VXLAN.replace("fd00:198:18::11", "fd00:198:18::12"));
    assertThat(v.reject(lease("0.0.0.0-0&fc00:0:0:2::-64", peer))).isNull();
  }

  private static Lease lease(String key, LeaseAttrs attrs) {
    SubnetKey k = SubnetKey.parse(key);
    return new Lease(k.ipv4(), attrs, 0, null, 0, k.ipv6());
  }
}
