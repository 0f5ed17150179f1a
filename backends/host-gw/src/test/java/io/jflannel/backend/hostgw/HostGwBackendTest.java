package io.jflannel.backend.hostgw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.backend.BackendContext;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.RecordingNetlink;
import io.jflannel.netlink.Route;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostGwBackendTest {
  static final NetworkConfig CONFIG =
      NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
  final RecordingNetlink nl = new RecordingNetlink();
  final Link eth = nl.addExisting("eth0", 1500, null);

  HostGwBackend backend(String publicIp) {
    return new HostGwBackend(
        new BackendContext(
            nl,
            new ExternalInterface(
                eth,
                Ipv4Address.parse("198.18.0.1"),
                Ipv4Net.parse("198.18.0.0/24"),
                Ipv4Address.parse(publicIp)),
            CONFIG,
            Path.of("/nonexistent")));
  }

  @Test
  void routesViaThePeersPublicIpOnlyWhenOnLink() throws Exception {
    HostGwBackend b = backend("198.18.0.1");
    assertThat(b.prepare().toJson())
        .isEqualTo("{\"PublicIP\":\"198.18.0.1\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}");
    Lease onLink =
        new Lease(
            Ipv4Net.parse("10.244.3.0/24"),
            LeaseAttrs.of(Ipv4Address.parse("198.18.0.3"), "host-gw", null),
            1,
            null,
            1);
    assertThat(b.objectsFor(onLink).routes())
        .containsExactly(
            Route.via(onLink.subnet(), Ipv4Address.parse("198.18.0.3"), eth.index(), false));
    Lease far =
        new Lease(
            Ipv4Net.parse("10.244.4.0/24"),
            LeaseAttrs.of(Ipv4Address.parse("203.0.113.4"), "host-gw", null),
            1,
            null,
            1);
    assertThatThrownBy(() -> b.objectsFor(far))
        .hasMessage(
            "PublicIP 203.0.113.4 is not on this node's network 198.18.0.0/24 (host-gw needs every node on one L2 network)");
    assertThat(b.mtu()).isEqualTo(1500);
  }

  @Test
  void refusesAPublicIpThatIsNotOnTheInterface() throws Exception {
    assertThatThrownBy(() -> backend("203.0.113.1").prepare())
        .hasMessageContaining("NAT between nodes is not supported");
  }
}
