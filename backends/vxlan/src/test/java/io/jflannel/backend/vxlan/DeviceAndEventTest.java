package io.jflannel.backend.vxlan;

import static io.jflannel.backend.vxlan.VxlanFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.backend.Device;
import io.jflannel.backend.Drift;
import io.jflannel.backend.PeerSync.Reaction;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.NetlinkEvent;
import io.jflannel.netlink.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flannel.1 owned like its routes; kernel events answered without a full dump. */
class DeviceAndEventTest {
  @TempDir Path state;
  VxlanFixture f;
  final List<Reaction> reactions = new ArrayList<>();

  @BeforeEach
  void setUp() {
    f = new VxlanFixture(state);
    f.sync.snapshot(List.of(peer(3, "aa:bb:cc:00:00:03"), peer(4, "aa:bb:cc:00:00:04")));
    f.nl.monitor(e -> reactions.add(f.sync.kernelEvent(e)));
  }

  int writes() {
    return f.nl.log().size();
  }

  @Test
  void echoesOfOurOwnWritesAndOtherDevicesChurnCostNothing() {
    int before = writes();
    f.sync.events(List.of(io.jflannel.lease.LeaseEvent.added(peer(5, "aa:bb:cc:00:00:05"))));
    int after = writes();
    assertThat(after - before).isEqualTo(3);
    assertThat(reactions).containsOnly(Reaction.NONE);
    f.nl.appear(Neighbour.permanent(f.eth.index(), Ipv4Address.parse("198.18.0.77"), null));
    assertThat(writes()).isEqualTo(after);
  }

  @Test
  void aDeletedOrAlteredObjectIsPutBackAloneAndAStrayOneRemoved() {
    Route r = f.nl.routes(Route.TABLE_MAIN).get(0);
    f.nl.vanish(r);
    assertThat(reactions).contains(Reaction.FIXED).doesNotContain(Reaction.RESYNC);
    assertThat(f.nl.routes(Route.TABLE_MAIN)).contains(r);
    Neighbour n = f.nl.neighbours(f.dev()).get(0);
    f.nl.appear(new Neighbour(n.ifindex(), n.address(), null, 0x01)); // incomplete, by the kernel
    assertThat(f.nl.neighbours(f.dev())).contains(n);
    Route stray =
        Route.via(
            Ipv4Net.parse("10.244.99.0/24"),
            Ipv4Address.parse("198.18.0.99"),
            f.eth.index(),
            false);
    f.nl.appear(stray);
    assertThat(f.nl.routes(Route.TABLE_MAIN)).doesNotContain(stray);
    assertThat(f.sync.repairCount()).isEqualTo(3);
    assertThat(f.sync.diff()).isEmpty();
  }

  @Test
  void aDeletedDeviceIsRecreatedWithEverythingOnIt() {
    Link old = f.nl.link("flannel.1").orElseThrow();
    f.nl.vanishLink(old.index());
    assertThat(reactions).contains(Reaction.RESYNC);
    assertThat(f.sync.diff())
        .filteredOn(d -> d.type().equals("device"))
        .singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo(Drift.Kind.MISSING))
        .satisfies(
            d ->
                assertThat(d.want().describe(i -> "eth0"))
                    .isEqualTo(
                        "flannel.1 vxlan id 1 local 198.18.0.1 dev eth0 dstport 8472 nolearning mtu 1450 up address "
                            + old.mac()));
    var repair = f.sync.repair();
    assertThat(repair.failed()).isEmpty();
    Link now = f.nl.link("flannel.1").orElseThrow();
    assertThat(now.index()).isNotEqualTo(old.index());
    assertThat(now.mac()).as("same VtepMAC as advertised").isEqualTo(old.mac());
    assertThat(now.isUp()).isTrue();
    assertThat(f.nl.addresses(now.index())).hasSize(1);
    assertThat(f.nl.neighbours(now.index())).hasSize(2);
    assertThat(f.nl.fdb(now.index())).hasSize(2);
    assertThat(f.nl.routes(Route.TABLE_MAIN)).allMatch(r -> r.ifindex() == now.index()).hasSize(2);
    assertThat(repair.repaired()).hasSize(1 + 1 + 6); // device, address, 2 x (neigh, fdb, route)
    assertThat(f.sync.diff()).isEmpty();
  }

  @Test
  void mtuDownAndMacChangesAreCorrectedInPlace() {
    Link dev = f.nl.link("flannel.1").orElseThrow();
    f.nl.setMtu(dev.index(), 1400);
    f.nl.setUp(dev.index(), false);
    f.nl.setMac(dev.index(), MacAddress.parse("02:aa:aa:aa:aa:aa"));
    assertThat(reactions).containsOnly(Reaction.RESYNC);
    Drift d = f.sync.diff().get(0);
    assertThat(((Device) d.have()).mtu()).isEqualTo(1400);
    assertThat(f.sync.repair().repaired()).containsExactly(d);
    Link now = f.nl.link("flannel.1").orElseThrow();
    assertThat(now.index()).as("corrected, not re-created").isEqualTo(dev.index());
    assertThat(now.mtu()).isEqualTo(1450);
    assertThat(now.isUp()).isTrue();
    assertThat(now.mac()).isEqualTo(dev.mac());
    assertThat(f.sync.diff()).isEmpty();
  }

  @Test
  void lostEventsAskForAFullRepair() {
    assertThat(f.sync.kernelEvent(NetlinkEvent.overflowed())).isEqualTo(Reaction.RESYNC);
  }
}
