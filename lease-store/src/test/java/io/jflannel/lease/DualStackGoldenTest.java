package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dual-stack keys, lease values and subnet.env exactly as flanneld v0.28 writes them (its {@code
 * MakeSubnetKey}, {@code LeaseAttrs} JSON and {@code WriteSubnetFile}).
 */
class DualStackGoldenTest {
  /** A dual-stack vxlan lease as flanneld marshals it. */
  static final String FLANNELD_DUAL_VXLAN =
      "{\"PublicIP\":\"198.18.0.11\",\"PublicIPv6\":\"fd00:198:18::11\",\"BackendType\":\"vxlan\","
          + "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:45\"},"
          + "\"BackendV6Data\":{\"VNI\":1,\"VtepMAC\":\"ae:12:2b:90:01:02\"}}";

  @ParameterizedTest
  @CsvSource({
    "10.244.1.0-24&fc00:0:0:1::-64, 10.244.1.0/24, fc00:0:0:1::/64",
    "10.244.12.0-24&fc00:0:0:c::-64, 10.244.12.0/24, fc00:0:0:c::/64",
    "10.244.1.0-24&fd00:1::40-122, 10.244.1.0/24, fd00:1::40/122",
    "10.244.1.0-24&fc00::-64, 10.244.1.0/24, fc00::/64"
  })
  void keysParseAndFormatAsFlanneldWritesThem(String key, String v4, String v6) {
    SubnetKey k = SubnetKey.parse(key);
    assertThat(k.ipv4()).isEqualTo(Ipv4Net.parse(v4));
    assertThat(k.ipv6()).isEqualTo(Ipv6Net.parse(v6));
    assertThat(k.toKey()).isEqualTo(key);
    LeaseKeys keys = new LeaseKeys("/coreos.com/network");
    assertThat(keys.subnetOf("/coreos.com/network/subnets/" + key)).contains(k.ipv4());
    assertThat(keys.subnetsOf("/coreos.com/network/subnets/" + key)).contains(k);
  }

  @Test
  void ipv6TextIsGoShortestForm() {
    assertThat(Ipv6Address.parse("fc00:0000:0000:0001:0000:0000:0000:0000"))
        .hasToString("fc00:0:0:1::");
    assertThat(Ipv6Address.parse("fd00:0:0:0:1:0:0:1")).hasToString("fd00::1:0:0:1");
    assertThat(Ipv6Address.parse("1:0:0:2:0:0:0:3")).hasToString("1:0:0:2::3");
    assertThat(Ipv6Address.parse("::")).hasToString("::");
    assertThat(Ipv6Address.parse("fe80::1").isLinkLocal()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "10.244.1.0-24&FC00::-64", // flanneld's key regexp takes lower-case hex only
    "10.244.1.0-24&fc00::1-64", // host bits
    "10.244.1.0-24&",
    "10.244.1.0-24&fc00::-129"
  })
  void malformedDualKeysAreRefused(String key) {
    assertThatThrownBy(() -> SubnetKey.parse(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new LeaseKeys("/p").subnetOf("/p/subnets/" + key)).isEmpty();
  }

  @Test
  void dualStackLeaseValueRoundTripsByteForByte() {
    LeaseAttrs a = LeaseAttrs.fromJson(FLANNELD_DUAL_VXLAN);
    assertThat(a.publicIpv6Address()).isEqualTo(Ipv6Address.parse("fd00:198:18::11"));
    assertThat(Json.text(a.backendV6Data().get("VtepMAC"))).isEqualTo("ae:12:2b:90:01:02");
    assertThat(a.toJson()).isEqualTo(FLANNELD_DUAL_VXLAN);
  }

  @Test
  void subnetEnvCarriesFlanneldsIpv6Variables() throws Exception {
    SubnetEnv env =
        new SubnetEnv(
            Ipv4Net.parse("10.244.0.0/16"),
            Ipv4Net.parse("10.244.1.0/24"),
            1450,
            true,
            Ipv6Net.parse("fc00::/48"),
            Ipv6Net.parse("fc00:0:0:1::/64"));
    assertThat(env.format())
        .isEqualTo(
            "FLANNEL_NETWORK=10.244.0.0/16\n"
                + "FLANNEL_SUBNET=10.244.1.1/24\n"
                + "FLANNEL_IPV6_NETWORK=fc00::/48\n"
                + "FLANNEL_IPV6_SUBNET=fc00:0:0:1::1/64\n"
                + "FLANNEL_MTU=1450\n"
                + "FLANNEL_IPMASQ=true\n");
    assertThat(SubnetEnv.parse(env.format())).isEqualTo(env);
  }
}
