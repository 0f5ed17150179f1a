package io.jflannel.backend.vxlan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.Drift;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.LinkSpec;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.RecordingNetlink;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.VxlanInfo;
import java.nio.file.Path;
import java.util.List;
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
    var data = new ObjectMapper().createObjectNode().put("VNI", 1).put("VtepMAC", mac);
    return new Lease(
        Ipv4Net.parse("10.244." + n + ".0/24"),
        LeaseAttrs.of(Ipv4Address.parse("198.18.0." + n), "vxlan", data),
        7,
        null,
        1);
  }

  @Test
  void createsFlannelDeviceAdvertisesAStableMac() {
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
  void anIncompatibleExistingDeviceIsRecreatedKeepingItsMac() {
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
    assertThat(nl.log()).contains("deleteLink #" + old.index());
  }

  @Test
  void aCompatibleDeviceIsAdoptedAsIs() {
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
  void peersGetNeighbourFdbRouteInOrderAndLoseThemInReverse() {
    Backend b = backend(CONFIG);
    b.prepare();
    Lease own = new Lease(Ipv4Net.parse("10.244.1.0/24"), b.prepare(), 1, null, 1);
    b.start(own);
    int dev = b.deviceIndex();
    PeerSync sync = new PeerSync(nl, b, CONFIG.network(), 24, own.subnet());
    sync.snapshot(List.of(own, peer(3, "aa:bb:cc:00:00:03")));
    MacAddress m3 = MacAddress.parse("aa:bb:cc:00:00:03");
    assertThat(nl.neighbours(dev))
        .containsExactly(Neighbour.permanent(dev, Ipv4Address.parse("10.244.3.0"), m3));
    assertThat(nl.fdb(dev)).containsExactly(new FdbEntry(dev, m3, Ipv4Address.parse("198.18.0.3")));
    assertThat(nl.routes(Route.TABLE_MAIN))
        .containsExactly(
            Route.via(Ipv4Net.parse("10.244.3.0/24"), Ipv4Address.parse("10.244.3.0"), dev, true));
    int mark = nl.log().size();
    sync.events(
        List.of(
            LeaseEvent.added(peer(4, "aa:bb:cc:00:00:04")),
            LeaseEvent.removed(peer(3, "aa:bb:cc:00:00:03"))));
    assertThat(nl.log().subList(mark, nl.log().size()))
        .extracting(l -> l.split(" ")[0])
        .containsExactly(
            "replaceNeighbour",
            "replaceFdb",
            "replaceRoute",
            "deleteRoute",
            "deleteFdb",
            "deleteNeighbour");
    assertThat(sync.peerCount()).isEqualTo(1);
    assertThat(sync.objectCount()).isEqualTo(3);
  }

  @Test
  void reconcileRestoresWhatVanishedAndRemovesWhatNoLeaseExplains() {
    Backend b = backend(CONFIG);
    Lease own = new Lease(Ipv4Net.parse("10.244.1.0/24"), b.prepare(), 1, null, 1);
    b.start(own);
    PeerSync sync = new PeerSync(nl, b, CONFIG.network(), 24, own.subnet());
    sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03")));
    Route r = nl.routes(Route.TABLE_MAIN).get(0);
    nl.deleteRoute(r);
    Route stale =
        Route.via(
            Ipv4Net.parse("10.244.9.0/24"),
            Ipv4Address.parse("198.18.0.9"),
            ext.link().index(),
            false);
    nl.replaceRoute(stale);
    Route foreign =
        Route.via(
            Ipv4Net.parse("192.168.0.0/24"),
            Ipv4Address.parse("198.18.0.9"),
            ext.link().index(),
            false);
    nl.replaceRoute(foreign);
    Neighbour n = nl.neighbours(b.deviceIndex()).get(0);
    Neighbour wrongMac =
        Neighbour.permanent(n.ifindex(), n.address(), MacAddress.parse("aa:bb:cc:00:00:99"));
    nl.replaceNeighbour(wrongMac);
    Address a = nl.addresses(b.deviceIndex()).get(0);
    nl.deleteAddress(a);
    List<Drift> drift = sync.diff();
    assertThat(drift)
        .containsExactlyInAnyOrder(
            new Drift(Drift.Kind.MISSING, a, null),
            new Drift(Drift.Kind.WRONG, n, wrongMac),
            new Drift(Drift.Kind.EXTRA, null, stale),
            new Drift(Drift.Kind.MISSING, r, null));
    assertThat(Drift.describe(r, i -> "flannel.1"))
        .isEqualTo("10.244.3.0/24 via 10.244.3.0 dev flannel.1 onlink proto 121");
    assertThat(sync.diff()).as("diff repairs nothing").hasSize(4);
    assertThat(sync.reconcile()).isEqualTo(4);
    assertThat(sync.diff()).isEmpty();
    assertThat(nl.addresses(b.deviceIndex())).containsExactly(a);
    assertThat(nl.routes(Route.TABLE_MAIN)).containsExactlyInAnyOrder(r, foreign);
    assertThat(nl.neighbours(b.deviceIndex())).containsExactly(n);
    assertThat(sync.reconcile()).isZero();
  }

  @Test
  void directRoutingUsesAPlainRouteForOnLinkPeersAndHostGwLeasesAreSkipped() {
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
    Lease hostGw =
        new Lease(
            Ipv4Net.parse("10.244.5.0/24"),
            LeaseAttrs.of(Ipv4Address.parse("198.18.0.5"), "host-gw", null),
            1,
            null,
            1);
    assertThat(b.objectsFor(hostGw)).isNull();
  }
}
