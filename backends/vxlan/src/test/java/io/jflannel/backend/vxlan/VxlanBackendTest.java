package io.jflannel.backend.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.LinkSpec;
import io.jflannel.netlink.RecordingNetlink;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.VxlanInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VxlanBackendTest {
  static final NetworkConfig CONFIG =
      NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
  @TempDir Path state;
  RecordingNetlink nl;
  ExternalInterface ext;

  @BeforeEach
  void setUp() {
    nl = new RecordingNetlink();
    Link eth = nl.addExisting("eth0", 1500, MacAddress.parse("02:00:00:00:00:01"));
    ext =
        new ExternalInterface(
            eth,
            Ipv4Address.parse("198.18.0.1"),
            Ipv4Net.parse("198.18.0.0/24"),
            Ipv4Address.parse("198.18.0.1"));
  }

  Backend backend(NetworkConfig c) {
    return BackendFactory.find("vxlan").orElseThrow().create(new BackendContext(nl, ext, c, state));
  }

  static Lease peer(int n, String mac) {
    var data = Json.object("VNI", 1, "VtepMAC", mac);
    return new Lease(
        Ipv4Net.parse("10.244." + n + ".0/24"),
        LeaseAttrs.of(Ipv4Address.parse("198.18.0." + n), "vxlan", data),
        7,
        null,
        1);
  }

  @Test
  void createsFlannelDeviceAdvertisesAStableMac() throws Exception {
    LeaseAttrs a = backend(CONFIG).prepare();
    Link dev = nl.link("flannel.1").orElseThrow();
    assertThat(dev.vxlan())
        .isEqualTo(new VxlanInfo(1, ext.address(), 8472, ext.link().index(), false));
    assertThat(dev.mtu()).isEqualTo(1450);
    assertThat(a.toJson())
        .isEqualTo(
            "{\"PublicIP\":\"198.18.0.1\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\""
                + dev.mac()
                + "\"}}");
    nl.deleteLink(dev.index()); // device lost (reboot): the MAC comes back from the state dir
    assertThat(backend(CONFIG).prepare()).isEqualTo(a);
  }

  @Test
  void anIncompatibleExistingDeviceIsRecreatedKeepingItsMac() throws Exception {
    MacAddress mac = MacAddress.parse("c6:d2:32:6f:8f:44");
    Link old =
        nl.createLink(
            LinkSpec.vxlan(
                "flannel.1",
                new VxlanInfo(1, ext.address(), 4789, ext.link().index(), true),
                1450,
                mac));
    backend(CONFIG).prepare();
    Link now = nl.link("flannel.1").orElseThrow();
    assertThat(now.index()).isNotEqualTo(old.index());
    assertThat(now.vxlan().port()).isEqualTo(8472);
    assertThat(now.vxlan().learning()).isFalse();
    assertThat(now.mac()).as("taking over flanneld's VtepMAC").isEqualTo(mac);
    assertThat(nl.log()).contains("RTM_DELLINK dev #" + old.index());
  }

  @Test
  void aCompatibleDeviceIsAdoptedAsIs() throws Exception {
    Link old =
        nl.createLink(
            LinkSpec.vxlan(
                "flannel.1",
                new VxlanInfo(1, ext.address(), 8472, ext.link().index(), false),
                1450,
                MacAddress.parse("c6:d2:32:6f:8f:44")));
    backend(CONFIG).prepare();
    assertThat(nl.link("flannel.1").orElseThrow().index()).isEqualTo(old.index());
  }

  @Test
  void directRoutingUsesAPlainRouteForOnLinkPeersAndBadVtepDataIsRefused() throws Exception {
    NetworkConfig direct =
        NetworkConfig.parse(
            "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"DirectRouting\":true}}");
    Backend b = backend(direct);
    b.prepare();
    assertThat(b.objectsFor(peer(3, "aa:bb:cc:00:00:03")).routes())
        .containsExactly(
            Route.via(
                Ipv4Net.parse("10.244.3.0/24"),
                Ipv4Address.parse("198.18.0.3"),
                ext.link().index(),
                false));
    Backend plain = backend(CONFIG);
    plain.prepare();
    assertThatThrownBy(() -> plain.objectsFor(peer(5, "01:00:5e:00:00:01")))
        .isInstanceOf(io.jflannel.backend.BadLeaseException.class)
        .hasMessage("BackendData.VtepMAC 01:00:5e:00:00:01 is not a unicast MAC");
    Lease noData =
        new Lease(
            Ipv4Net.parse("10.244.5.0/24"),
            LeaseAttrs.of(Ipv4Address.parse("198.18.0.5"), "vxlan", null),
            1,
            null,
            1);
    assertThatThrownBy(() -> plain.objectsFor(noData))
        .hasMessage("vxlan lease without BackendData.VtepMAC");
    var vni2 = Json.object("VNI", 2, "VtepMAC", "aa:bb:cc:00:00:05");
    Lease otherVni =
        new Lease(
            Ipv4Net.parse("10.244.5.0/24"),
            LeaseAttrs.of(Ipv4Address.parse("198.18.0.5"), "vxlan", vni2),
            1,
            null,
            1);
    assertThatThrownBy(() -> plain.objectsFor(otherVni))
        .hasMessage("BackendData.VNI 2 is not this network's 1");
    assertThat(new VxlanBackendFactory().leaseProblem(CONFIG, otherVni))
        .as("the same check without a node, as jflanctl applies it")
        .isEqualTo("BackendData.VNI 2 is not this network's 1");
  }

  @Test
  void directRoutingOverIpv6UsesAPlainRouteForPeersOnTheIpv6Link() throws Exception {
    ext =
        new ExternalInterface(
            ext.link(),
            ext.address(),
            ext.network(),
            ext.publicIp(),
            io.jflannel.net.Ipv6Address.parse("fd00:198:18::1"),
            io.jflannel.net.Ipv6Address.parse("fd00:198:18::1"),
            io.jflannel.net.Ipv6Net.parse("fd00:198:18::/64"));
    Backend b =
        backend(
            NetworkConfig.parse(
                "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
                    + "\"Backend\":{\"Type\":\"vxlan\",\"DirectRouting\":true}}"));
    b.prepare();
    b.start(
        new Lease(
            Ipv4Net.parse("10.244.1.0/24"),
            LeaseAttrs.of(ext.publicIp(), "vxlan", null),
            0,
            null,
            0,
            io.jflannel.net.Ipv6Net.parse("fc00:0:0:1::/64")));
    var v6data = Json.object("VNI", 1, "VtepMAC", "aa:bb:cc:00:01:03");
    Lease near = dual(peer(3, "aa:bb:cc:00:00:03"), "fd00:198:18::3", v6data);
    Lease far = dual(peer(4, "aa:bb:cc:00:00:04"), "fd00:99::4", v6data);
    assertThat(b.objectsFor(near).routes())
        .contains(
            Route.via(
                io.jflannel.net.Ipv6Net.parse("fc00:0:0:3::/64"),
                io.jflannel.net.Ipv6Address.parse("fd00:198:18::3"),
                ext.link().index(),
                false));
    int v6dev = nl.link("flannel-v6.1").orElseThrow().index();
    assertThat(b.objectsFor(far).routes())
        .contains(
            Route.via(
                io.jflannel.net.Ipv6Net.parse("fc00:0:0:4::/64"),
                io.jflannel.net.Ipv6Address.parse("fc00:0:0:4::"),
                v6dev,
                true));
    // both peers are on the IPv4 link (direct IPv4 routes): the far one's IPv6 VTEP is the only FDB
    assertThat(b.objectsFor(far).fdb()).hasSize(1);
    assertThat(b.objectsFor(near).fdb()).isEmpty();
  }

  private static Lease dual(
      Lease v4, String publicIpv6, com.fasterxml.jackson.jr.stree.JrsValue d) {
    int n = v4.subnet().address().toBytes()[2];
    return new Lease(
        v4.subnet(),
        v4.attrs().withIpv6(io.jflannel.net.Ipv6Address.parse(publicIpv6), d),
        1,
        null,
        1,
        io.jflannel.net.Ipv6Net.parse("fc00:0:0:" + n + "::/64"));
  }
}
