package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Net;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * flannel's own config examples (test resources flannel-configs/, from its docs) as flanneld reads
 * them.
 */
class NetworkConfigGoldenTest {
  static NetworkConfig read(String name) throws IOException {
    try (InputStream in =
        NetworkConfigGoldenTest.class.getResourceAsStream("/flannel-configs/" + name)) {
      return NetworkConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void kubeFlannelNetConfIsAcceptedSilently() throws Exception {
    NetworkConfig c = read("kube-flannel-net-conf.json");
    assertThat(c.network()).isEqualTo(Ipv4Net.parse("10.244.0.0/16"));
    assertThat(c.backend().type()).isEqualTo("vxlan");
    assertThat(c.warnings()).as("EnableNFTables: false means off: nothing to say").isEmpty();
  }

  @Test
  void configurationMdUdpExample() throws Exception {
    NetworkConfig c = read("configuration-md-udp.json");
    assertThat(c.subnetLen()).isEqualTo(20);
    assertThat(c.subnetMin()).isEqualTo(Ipv4Net.parse("10.10.0.0/20"));
    assertThat(c.subnetMax()).isEqualTo(Ipv4Net.parse("10.99.0.0/20"));
    assertThat(c.backend().type()).isEqualTo("udp");
    assertThat(c.backend().intOption("Port", 0)).isEqualTo(7890);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void backendsMdVxlanWithEveryLinuxOption() throws Exception {
    NetworkConfig c = read("backends-md-vxlan.json");
    assertThat(c.backend().intOption("VNI", 1)).isEqualTo(1);
    assertThat(c.backend().boolOption("DirectRouting", false)).isTrue();
    assertThat(c.backend().intOption("MTU", 0)).isEqualTo(1500);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void hostGwUdpAndAlloc() throws Exception {
    assertThat(read("backends-md-host-gw.json").backend().type()).isEqualTo("host-gw");
    assertThat(read("backends-md-udp.json").backend().type()).isEqualTo("udp");
    NetworkConfig alloc = read("backends-md-alloc.json");
    assertThat(alloc.backend().type()).isEqualTo("alloc");
    assertThat(alloc.warnings()).isEmpty();
  }

  @Test
  void noBackendIsUdpAsFlanneldsCodeSaysWithAWarning() throws Exception {
    NetworkConfig c = read("no-backend.json");
    assertThat(c.backend().type()).isEqualTo("udp");
    assertThat(c.warnings())
        .singleElement()
        .asString()
        .startsWith("Backend is missing: using udp, as flanneld does");
  }
}
