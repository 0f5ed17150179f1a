package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.net.Ipv4Net;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkConfigTest {

  @Test
  void defaultsAsFlannel() {
    NetworkConfig c = NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\"}");
    assertThat(c.subnetLen()).isEqualTo(24);
    assertThat(c.subnetMin()).isEqualTo(Ipv4Net.parse("10.244.1.0/24"));
    assertThat(c.subnetMax()).isEqualTo(Ipv4Net.parse("10.244.255.0/24"));
    assertThat(c.backend().type())
        .as("flanneld's parseBackendType: no Backend is udp")
        .isEqualTo("udp");
    assertThat(c.subnetCount()).isEqualTo(255);
  }

  @Test
  void fieldNamesAreCaseInsensitiveAsInGoAndTheTypeIsLowerCased() {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"network\":\"10.244.0.0/16\",\"SUBNETLEN\":26,\"backend\":{\"type\":\"VXLAN\",\"vni\":3,\"directrouting\":true}}");
    assertThat(c.subnetLen()).isEqualTo(26);
    assertThat(c.backend().type()).isEqualTo("vxlan");
    assertThat(c.backend().intOption("VNI", 1)).as("option names in any case").isEqualTo(3);
    assertThat(c.backend().boolOption("DirectRouting", false)).isTrue();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void whatFlanneldAcceptsIsAcceptedWithAWarningWhereItDeservesOne() {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.1/16\",\"Netwrok\":1,\"EnableIPv4\":true,\"EnableIPv6\":false,"
                + "\"EnableNFTables\":false,\"IPv6Network\":\"fc00::/48\",\"SubnetMin\":\"10.244.8.0\","
                + "\"SubnetMax\":\"10.244.9.0\",\"Backend\":{\"Type\":\"host-gw\",\"Port\":1}}");
    assertThat(c.network()).isEqualTo(Ipv4Net.parse("10.244.0.0/16"));
    assertThat(c.warnings())
        .containsExactly(
            "Netwrok is not a field of flannel's network config: ignored, as flanneld ignores it",
            "Network: 10.244.0.1/16 has host bits set: using 10.244.0.0/16, as flanneld does");
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/8,24", "10.244.0.0/22,24", "10.244.0.0/23,25", "10.244.0.0/28,30"})
  void subnetLenDefaultDependsOnPrefix(String net, int len) {
    assertThat(NetworkConfig.parse("{\"Network\":\"" + net + "\"}").subnetLen()).isEqualTo(len);
  }

  @Test
  void explicitRangeAndBackendOptions() {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":26,\"SubnetMin\":\"10.244.8.0\","
                + "\"SubnetMax\":\"10.244.9.192\",\"Backend\":{\"Type\":\"udp\",\"Port\":9000}}");
    assertThat(c.subnetMin()).isEqualTo(Ipv4Net.parse("10.244.8.0/26"));
    assertThat(c.subnetMax()).isEqualTo(Ipv4Net.parse("10.244.9.192/26"));
    assertThat(c.subnetCount()).isEqualTo(8);
    assertThat(c.backend().intOption("Port", 0)).isEqualTo(9000);
    assertThat(c.fits(Ipv4Net.parse("10.244.8.64/26"))).isTrue();
    assertThat(c.fits(Ipv4Net.parse("10.244.7.192/26"))).isFalse();
    assertThat(c.fits(Ipv4Net.parse("10.244.8.0/24"))).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"Network\":\"10.244.0.0/29\"}|Network: 10.244.0.0/29 is too small",
        "{}|Network: missing",
        "{\"Network\":\"banana\"}|Network: \"banana\" is not a valid CIDR",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31}|SubnetLen: 31 is larger than 30",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":17}|SubnetLen: 17 must be at least Network prefix + 2 (18",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":\"24\"}|SubnetLen: \"24\" is not an integer",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.245.1.0\"}|SubnetMin: 10.245.1.0 is outside Network 10.244.0.0/16",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.244.9.0\",\"SubnetMax\":\"10.244.3.0\"}|SubnetMin 10.244.9.0/24 is after SubnetMax 10.244.3.0/24: no subnet can be leased",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMin\":\"fc00:0:0:9::\",\"IPv6SubnetMax\":\"fc00:0:0:3::\"}|IPv6SubnetMin fc00:0:0:9::/64 is after IPv6SubnetMax fc00:0:0:3::/64: no subnet can be leased",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMax\":\"10.244.1.7\"}|SubnetMax: 10.244.1.7 is not aligned to SubnetLen 24",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"x\"}|SubnetMin: \"x\" is not an IPv4 address",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{}}|Backend.Type: missing",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv4\":false}|EnableIPv4 and EnableIPv6 are both false",
        "{\"EnableIPv4\":false,\"EnableIPv6\":true}|IPv6Network: missing",
        "{\"EnableIPv4\":\"no\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\"}|EnableIPv4: \"no\" is not true or false",
        "{\"Network\":\"10.244.0.0/16\",\"EnableNFTables\":\"false\"}|EnableNFTables: \"false\" is not true or false",
        "{\"Network\":\"10.244.0.0/16\",\"IPv6Network\":\"banana\"}|IPv6Network: \"banana\" is not an IPv6 CIDR",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":\"vxlan\"}|Backend: \"vxlan\" is not an object",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true}|IPv6Network: missing",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/125\"}|IPv6Network: fc00::/125 is too small",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetLen\":127}|IPv6SubnetLen: 127 is larger than 126",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetLen\":49}|IPv6SubnetLen: 49 must be at least IPv6Network prefix + 2 (50)",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMin\":\"fc01::\"}|IPv6SubnetMin: fc01:: is outside IPv6Network fc00::/48",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetMax\":\"fc00:0:0:1::8\"}|IPv6SubnetMax: fc00:0:0:1::8 is not aligned to IPv6SubnetLen 64",
        "[1]|config must be a JSON object",
        "{nope|not valid JSON"
      })
  void eachViolatedRuleNamesFieldAndValue(String json, String expected) {
    assertThatThrownBy(() -> NetworkConfig.parse(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void allViolationsAreReportedTogether() {
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class,
            () ->
                NetworkConfig.parse(
                    "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31,\"EnableNFTables\":1,\"IPv6Network\":\"x\"}"));
    assertThat(e.problems()).hasSize(3);
  }

  @Test
  void ipv6OnlyIgnoresTheIpv4FieldsWithAWarning() {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"EnableIPv4\":false,\"Network\":\"10.244.0.0/16\",\"SubnetLen\":24,"
                + "\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"IPv6SubnetLen\":80,"
                + "\"Backend\":{\"Type\":\"vxlan\"}}");
    assertThat(c.ipv4()).isFalse();
    assertThat(c.network()).isNull();
    assertThat(c.subnetCount()).isZero();
    assertThat(c.ipv6().subnetLen()).isEqualTo(80);
    assertThat(c.warnings())
        .containsExactly(
            "Network ignored: EnableIPv4 is false (an IPv6-only network)",
            "SubnetLen ignored: EnableIPv4 is false (an IPv6-only network)");
  }

  @Test
  void dualStackIsDefaultedAsFlanneldDoes() {
    NetworkConfig c =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\"}");
    assertThat(c.dualStack()).isTrue();
    assertThat(c.ipv6().subnetLen()).isEqualTo(64);
    assertThat(c.ipv6().subnetMin().toString()).isEqualTo("fc00:0:0:1::/64");
    assertThat(c.ipv6().subnetMax().toString()).isEqualTo("fc00:0:0:ffff::/64");
    assertThat(c.ipv6().subnetCount()).isEqualTo(java.math.BigInteger.valueOf(65535));
    NetworkConfig small =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fd00:1::/120\"}");
    assertThat(small.ipv6().subnetLen()).isEqualTo(122);
    assertThat(small.ipv6().subnetMin().toString()).isEqualTo("fd00:1::40/122");
    NetworkConfig off =
        NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"IPv6Network\":\"fc00::/48\"}");
    assertThat(off.dualStack()).isFalse();
  }

  @Test
  void enableNFTablesChoosesTheNftablesMode() {
    assertThat(
            NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"EnableNFTables\":true}")
                .nftables())
        .isTrue();
    assertThat(NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\"}").nftables()).isFalse();
  }
}
