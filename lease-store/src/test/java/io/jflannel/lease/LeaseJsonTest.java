package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.net.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden tests: the exact bytes flanneld writes and reads (docs/architecture.md; flannel's etcd
 * schema).
 */
class LeaseJsonTest {
  static final String VXLAN =
      "{\"PublicIP\":\"198.18.0.11\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}";
  static final String HOST_GW =
      "{\"PublicIP\":\"198.18.0.12\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}";
  static final String FLANNEL_UDP = "{\"PublicIP\":\"198.18.0.13\",\"PublicIPv6\":null}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        VXLAN,
        HOST_GW,
        FLANNEL_UDP,
        "{\"PublicIP\":\"198.18.0.14\",\"PublicIPv6\":\"fd00::14\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:45\"},\"BackendV6Data\":{\"VNI\":1},\"Future\":[1,2]}"
      })
  void roundTripsByteForByte(String json) {
    assertThat(LeaseAttrs.fromJson(json).toJson()).isEqualTo(json);
  }

  @Test
  void writesFlannelsVxlanForm() throws Exception {
    var data = Json.object("VNI", 1, "VtepMAC", "c6:d2:32:6f:8f:44");
    assertThat(LeaseAttrs.of(Ipv4Address.parse("198.18.0.11"), "vxlan", data).toJson())
        .isEqualTo(VXLAN);
    assertThat(LeaseAttrs.of(Ipv4Address.parse("198.18.0.12"), "host-gw", null).toJson())
        .isEqualTo(HOST_GW);
  }

  @Test
  void missingBackendTypeIsFlannelsUdp() {
    LeaseAttrs a = LeaseAttrs.fromJson(FLANNEL_UDP);
    assertThat(a.backendType()).isNull();
    assertThat(a.effectiveBackendType()).isEqualTo("udp");
  }

  @Test
  void unknownFieldsSurviveARewriteOfOurOwnLease() {
    LeaseAttrs old =
        LeaseAttrs.fromJson(
            "{\"PublicIP\":\"198.18.0.12\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\",\"Zone\":\"a\"}");
    LeaseAttrs ours =
        LeaseAttrs.of(Ipv4Address.parse("198.18.0.12"), "host-gw", null)
            .keepingUnknownFieldsOf(old);
    assertThat(ours.toJson())
        .isEqualTo(
            "{\"PublicIP\":\"198.18.0.12\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\",\"Zone\":\"a\"}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "[]",
        "{}",
        "{\"PublicIP\":7}",
        "{\"PublicIP\":\"1.2.3\"}",
        "{\"PublicIP\":\"1.2.3.4\",\"BackendType\":5}"
      })
  void rejectsWhatIsNotALease(String json) {
    assertThatThrownBy(() -> LeaseAttrs.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
