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
    assertThat(c.backend().type()).isEqualTo("vxlan");
    assertThat(c.backend().vni()).isEqualTo(1);
    assertThat(c.backend().port()).isEqualTo(8472);
    assertThat(c.subnetCount()).isEqualTo(255);
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
    assertThat(c.backend().port()).isEqualTo(9000);
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
        "{\"Network\":\"10.244.0.1/16\"}|Network: \"10.244.0.1/16\" is not a valid CIDR",
        "{\"Network\":\"banana\"}|Network: \"banana\" is not a valid CIDR",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31}|SubnetLen: 31 is larger than 30",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":17}|SubnetLen: 17 must be at least Network prefix + 2 (18",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":\"24\"}|SubnetLen: \"24\" is not an integer",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.245.1.0\"}|SubnetMin: 10.245.1.0 is outside Network 10.244.0.0/16",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMax\":\"10.244.1.7\"}|SubnetMax: 10.244.1.7 is not aligned to SubnetLen 24",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"x\"}|SubnetMin: \"x\" is not an IPv4 address",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.244.9.0\",\"SubnetMax\":\"10.244.8.0\"}|SubnetMin: 10.244.9.0/24 is after SubnetMax",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"ipsec\"}}|Backend.Type: \"ipsec\" is not supported",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"GBP\":true}}|Backend.GBP: option true is not supported by the vxlan backend",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":-1}}|Backend.VNI: -1 is not an integer in [0, 16777215]",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\",\"Port\":70000}}|Backend.Port: 70000 is not an integer in [1, 65535]",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\",\"Port\":1}}|Backend.Port: option 1 is not supported by the host-gw backend",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\",\"Offloads\":\"yes\"}}|Backend.Offloads: \"yes\" is not true or false",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\",\"Device\":\"a very long name\"}}|Backend.Device: \"a very long name\" is not an interface name",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"Offloads\":true}}|Backend.Offloads: option true is not supported by the vxlan backend",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":\"vxlan\"}|Backend: \"vxlan\" is not an object",
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true}|EnableIPv6: true is not supported",
        "{\"Network\":\"10.244.0.0/16\",\"Netwrok\":1}|Netwrok: unknown or unsupported field",
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
                    "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31,\"Backend\":{\"Type\":\"vxlan\",\"Port\":0,\"Learning\":true}}"));
    assertThat(e.problems()).hasSize(3);
  }
}
