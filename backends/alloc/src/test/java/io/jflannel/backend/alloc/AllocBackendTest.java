package io.jflannel.backend.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.RecordingNetlink;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocBackendTest {
  @Test
  void leasesAsFlanneldsAllocAndProgramsNothing() {
    NetworkConfig config =
        NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"alloc\"}}");
    RecordingNetlink nl = new RecordingNetlink();
    Link eth = nl.addExisting("eth0", 9000, null);
    ExternalInterface ext =
        new ExternalInterface(
            eth,
            Ipv4Address.parse("198.18.0.1"),
            Ipv4Net.parse("198.18.0.0/24"),
            Ipv4Address.parse("198.18.0.1"));
    Backend b =
        BackendFactory.find("alloc")
            .orElseThrow()
            .create(new BackendContext(nl, ext, config, Path.of("/nonexistent")));
    LeaseAttrs attrs = b.prepare();
    assertThat(attrs.toJson()).isEqualTo("{\"PublicIP\":\"198.18.0.1\",\"PublicIPv6\":null}");
    assertThat(b.mtu()).isEqualTo(9000);
    Ipv4Net own = Ipv4Net.parse("10.244.1.0/24");
    b.start(new Lease(own, attrs, 1, null, 1));
    PeerSync sync =
        new PeerSync(
            nl,
            b,
            new LeaseValidator(config, own, ext.publicIp()),
            config,
            new io.jflannel.lease.SubnetKey(own, null));
    sync.snapshot(
        List.of(
            new Lease(
                Ipv4Net.parse("10.244.3.0/24"),
                LeaseAttrs.of(Ipv4Address.parse("198.18.0.3"), "vxlan", null),
                1,
                null,
                1)));
    assertThat(sync.peerCount()).isEqualTo(1);
    assertThat(nl.log()).isEmpty();
    assertThat(sync.diff()).isEmpty();
  }

  @Test
  void anIpv6OnlyNodeIsNamedByItsPublicIpv6() {
    NetworkConfig config =
        NetworkConfig.parse(
            "{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
                + "\"Backend\":{\"Type\":\"alloc\"}}");
    RecordingNetlink nl = new RecordingNetlink();
    ExternalInterface ext =
        new ExternalInterface(
            nl.addExisting("eth0", 1500, null),
            null,
            null,
            new Ipv4Address(0),
            io.jflannel.net.Ipv6Address.parse("fd00::1"),
            io.jflannel.net.Ipv6Address.parse("fd00::1"));
    LeaseAttrs attrs =
        BackendFactory.find("alloc")
            .orElseThrow()
            .create(new BackendContext(nl, ext, config, Path.of("/nonexistent")))
            .prepare();
    assertThat(attrs.toJson()).isEqualTo("{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"fd00::1\"}");
    assertThat(attrs.nodeAddress()).isEqualTo("fd00::1");
  }
}
