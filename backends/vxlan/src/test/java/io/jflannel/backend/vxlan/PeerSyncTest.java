package io.jflannel.backend.vxlan;

import static io.jflannel.backend.vxlan.VxlanFixture.lease;
import static io.jflannel.backend.vxlan.VxlanFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.backend.Drift;
import io.jflannel.backend.Rejection;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.NetlinkException;
import io.jflannel.netlink.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease events, rejections and level-triggered repair on a vxlan node (RecordingNetlink). */
class PeerSyncTest {
  @TempDir Path state;
  VxlanFixture f;

  @BeforeEach
  void setUp() {
    f = new VxlanFixture(state);
  }

  List<String> writesDuring(Runnable r) {
    int mark = f.nl.log().size();
    r.run();
    return f.nl.log().subList(mark, f.nl.log().size());
  }

  @Test
  void peersGetNeighbourFdbRouteInOrderAndLoseThemInReverse() {
    f.sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03")));
    int dev = f.dev();
    MacAddress m3 = MacAddress.parse("aa:bb:cc:00:00:03");
    assertThat(f.nl.neighbours(dev))
        .containsExactly(Neighbour.permanent(dev, Ipv4Address.parse("10.244.3.0"), m3));
    assertThat(f.nl.fdb(dev))
        .containsExactly(new FdbEntry(dev, m3, Ipv4Address.parse("198.18.0.3")));
    assertThat(f.nl.routes(Route.TABLE_MAIN))
        .containsExactly(
            Route.via(Ipv4Net.parse("10.244.3.0/24"), Ipv4Address.parse("10.244.3.0"), dev, true));
    List<String> w =
        writesDuring(
            () ->
                f.sync.events(
                    List.of(
                        LeaseEvent.added(peer(4, "aa:bb:cc:00:00:04")),
                        LeaseEvent.removed(peer(3, "aa:bb:cc:00:00:03")))));
    assertThat(w)
        .extracting(l -> l.split(" ")[0] + (l.contains("(fdb)") ? " fdb" : ""))
        .containsExactly(
            "RTM_NEWNEIGH",
            "RTM_NEWNEIGH fdb",
            "RTM_NEWROUTE",
            "RTM_DELROUTE",
            "RTM_DELNEIGH fdb",
            "RTM_DELNEIGH");
    assertThat(f.sync.peerCount()).isEqualTo(1);
    assertThat(f.sync.objectCount()).isEqualTo(3);
    assertThat(
            writesDuring(
                () -> f.sync.events(List.of(LeaseEvent.added(peer(4, "aa:bb:cc:00:00:04"))))))
        .as("a renewal that changes nothing writes nothing")
        .isEmpty();
  }

  @Test
  void aVtepMacChangeReplacesTheNeighbourAndMovesTheFdbEntry() {
    f.sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03")));
    f.sync.events(List.of(LeaseEvent.added(peer(3, "aa:bb:cc:00:00:33"))));
    MacAddress now = MacAddress.parse("aa:bb:cc:00:00:33");
    assertThat(f.nl.fdb(f.dev()))
        .containsExactly(new FdbEntry(f.dev(), now, Ipv4Address.parse("198.18.0.3")));
    assertThat(f.nl.neighbours(f.dev())).extracting(Neighbour::mac).containsExactly(now);
    assertThat(f.sync.diff()).isEmpty();
  }

  @Test
  void badLeasesAreRejectedOnceWithAReasonAndProgramNothing() {
    List<Rejection> seen = new ArrayList<>();
    f.sync.onRejected(seen::add);
    Lease hostGw =
        new Lease(
            Ipv4Net.parse("10.244.8.0/24"),
            LeaseAttrs.of(Ipv4Address.parse("198.18.0.8"), "host-gw", null),
            1,
            null,
            1);
    List<Lease> bad =
        List.of(
            lease("10.244.25.128/25", "198.18.0.9", "aa:bb:cc:00:00:09"),
            lease("10.245.5.0/24", "198.18.0.5", "aa:bb:cc:00:00:05"),
            lease("192.168.9.0/24", "198.18.0.6", "aa:bb:cc:00:00:06"),
            lease("10.244.7.0/24", "198.18.0.1", "aa:bb:cc:00:00:07"),
            lease("10.244.10.0/24", "10.244.3.3", "aa:bb:cc:00:00:0a"),
            lease("10.244.11.0/24", "198.18.0.11", "not-a-mac"),
            hostGw);
    List<Lease> all = new ArrayList<>(bad);
    all.add(peer(3, "aa:bb:cc:00:00:03"));
    f.sync.snapshot(all);
    assertThat(f.sync.peerCount()).isEqualTo(1);
    assertThat(f.nl.routes(Route.TABLE_MAIN)).hasSize(1);
    assertThat(f.nl.fdb(f.dev())).hasSize(1);
    assertThat(seen)
        .extracting(Rejection::reason)
        .containsExactlyInAnyOrder(
            "subnet 10.244.25.128/25 is not a /24 (the network's SubnetLen)",
            "subnet 10.245.5.0/24 is outside the network 10.244.0.0/16",
            "subnet 192.168.9.0/24 is outside the network 10.244.0.0/16",
            "PublicIP 198.18.0.1 is this node's own (a stale lease of this node, or a clash)",
            "PublicIP 10.244.3.3 is inside the cluster network 10.244.0.0/16",
            "BackendData.VtepMAC: not a MAC address: \"not-a-mac\"",
            "backend host-gw does not match the network's vxlan");
    assertThat(f.sync.diff()).as("no endless repair of what was rejected").isEmpty();
    f.sync.events(List.of(LeaseEvent.added(bad.get(0))));
    assertThat(seen).as("logged once, not per event").hasSize(7);
    assertThat(f.sync.rejected()).hasSize(7);
    f.sync.events(List.of(LeaseEvent.removed(bad.get(0))));
    assertThat(f.sync.rejected()).hasSize(6);
  }

  @Test
  void reconcileRestoresWhatVanishedAndRemovesWhatNoLeaseExplains() {
    f.sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03")));
    Route r = f.nl.routes(Route.TABLE_MAIN).get(0);
    f.nl.vanish(r);
    Route stale =
        Route.via(
            Ipv4Net.parse("10.244.9.0/24"), Ipv4Address.parse("198.18.0.9"), f.eth.index(), false);
    f.nl.appear(stale);
    Route foreign =
        Route.via(
            Ipv4Net.parse("192.168.0.0/24"), Ipv4Address.parse("198.18.0.9"), f.eth.index(), false);
    Route foreignKernel =
        new Route(foreign.destination(), null, f.eth.index(), Route.TABLE_MAIN, 3, 0, false);
    f.nl.appear(foreignKernel);
    Neighbour n = f.nl.neighbours(f.dev()).get(0);
    Neighbour wrongMac =
        Neighbour.permanent(n.ifindex(), n.address(), MacAddress.parse("aa:bb:cc:00:00:99"));
    f.nl.appear(wrongMac);
    Address a = f.nl.addresses(f.dev()).get(0);
    f.nl.vanish(a);
    assertThat(f.sync.diff())
        .containsExactlyInAnyOrder(
            Drift.missing(a), Drift.wrong(n, wrongMac), Drift.extra(stale), Drift.missing(r));
    assertThat(r.describe(i -> "flannel.1"))
        .isEqualTo("10.244.3.0/24 via 10.244.3.0 dev flannel.1 onlink proto 121");
    assertThat(f.sync.diff()).as("diff repairs nothing").hasSize(4);
    assertThat(f.sync.repair().repaired()).hasSize(4);
    assertThat(f.sync.repairCount()).isEqualTo(4);
    assertThat(f.sync.diff()).isEmpty();
    assertThat(f.nl.addresses(f.dev())).containsExactly(a);
    assertThat(f.nl.routes(Route.TABLE_MAIN)).containsExactlyInAnyOrder(r, foreignKernel);
    assertThat(f.sync.repair().repaired()).isEmpty();
  }

  @Test
  void aRepairTheKernelRefusesIsNeitherCountedNorForgotten() {
    f.sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03")));
    Route r = f.nl.routes(Route.TABLE_MAIN).get(0);
    f.nl.vanish(r);
    f.nl.failNextWith(NetlinkException.ENODEV);
    var result = f.sync.repair();
    assertThat(result.repaired()).isEmpty();
    assertThat(result.failed()).containsExactly(Drift.missing(r));
    assertThat(f.sync.repairCount()).isZero();
    assertThat(f.sync.errorCount()).isEqualTo(1);
    assertThat(f.sync.problems()).singleElement().asString().contains("No such device (errno 19)");
    assertThat(f.sync.repair().repaired()).containsExactly(Drift.missing(r));
    assertThat(f.sync.problems()).isEmpty();
  }

  @Test
  void afterCloseNothingIsWritten() {
    f.sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03")));
    f.sync.close();
    assertThat(
            writesDuring(
                () -> {
                  f.sync.events(List.of(LeaseEvent.added(peer(4, "aa:bb:cc:00:00:04"))));
                  f.sync.repair();
                }))
        .isEmpty();
  }
}
