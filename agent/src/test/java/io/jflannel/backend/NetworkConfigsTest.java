package io.jflannel.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.lease.ConfigException;
import io.jflannel.lease.NetworkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Backend object checked by the backends themselves (their declared options, the options
 * flanneld ignores, their other rules), with every backend of the agent's jar on the class path:
 * lease-store knows none of them.
 */
class NetworkConfigsTest {
  static NetworkConfig flannel(String name) throws Exception {
    Path p =
        Path.of(System.getProperty("jflannel.root", ".."))
            .resolve("lease-store/src/test/resources/flannel-configs")
            .resolve(name);
    return NetworkConfigs.parse(Files.readString(p));
  }

  @Test
  void optionsAreTheBackendsOwnAndDefaultedByIt() throws Exception {
    NetworkConfig v = flannel("backends-md-vxlan.json");
    assertThat(v.backend().intOption("MTU", 0)).isEqualTo(1500);
    assertThat(v.warnings()).isEmpty();
    assertThat(flannel("configuration-md-udp.json").warnings()).isEmpty();
    NetworkConfig hostGw =
        NetworkConfigs.parse(
            "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\",\"Port\":1}}");
    assertThat(hostGw.warnings())
        .containsExactly(
            "Backend.Port is not an option of the host-gw backend: ignored, as flanneld ignores it");
    NetworkConfig any =
        NetworkConfigs.parse(
            "{\"Network\":\"10.244.0.0/16\",\"backend\":{\"type\":\"VXLAN\",\"vni\":3,\"gbp\":true}}");
    assertThat(any.warnings()).as("option names in any case, as flanneld").isEmpty();
  }

  @Test
  void windowsOnlyVxlanOptionsAreIgnoredWithAWarning() throws Exception {
    assertThat(flannel("backends-md-vxlan-windows-options.json").warnings())
        .containsExactly(
            "Backend.MacPrefix is a Windows-only option: ignored, as flanneld ignores it",
            "Backend.Name is a Windows-only option: ignored, as flanneld ignores it");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"ipsec\"}}|Backend.Type: \"ipsec\" is not supported by jflannel (alloc, host-gw, udp, vxlan)",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"GBP\":\"yes\"}}|Backend.GBP: \"yes\" is not true or false",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":-1}}|Backend.VNI: -1 is not an integer in [0, 16777215]",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"MTU\":100}}|Backend.MTU: 100 leaves no room for the 50 bytes of VXLAN",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\",\"Port\":70000}}|Backend.Port: 70000 is not an integer in [0, 65535]",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\",\"Offloads\":\"yes\"}}|Backend.Offloads: \"yes\" is not true or false",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\",\"Device\":\"a very long name\"}}|Backend.Device: \"a very long name\" is not an interface name (1-15 of A-Z a-z 0-9 _ . -)"
      })
  void eachBackendRefusesItsOwnBadOptions(String json, String problem) {
    assertThatThrownBy(() -> NetworkConfigs.parse(json))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(problem));
  }
}
