package io.jflannel.backend.vxlan;

import static io.jflannel.backend.vxlan.VxlanFixture.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BadLeaseException;
import io.jflannel.backend.PeerSync;
import io.jflannel.backend.Rejection;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Route;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases that claim what a live node holds (its subnet under another key form, its VtepMAC, its
 * PublicIP): the older lease keeps it on every node, the younger is rejected with the reason and
 * programs nothing, and removing either puts the kernel back to what the remaining lease wants.
 */
class ConflictSyncTest {
  static final String M3 = "aa:bb:cc:00:00:03";
  @TempDir Path state;
  VxlanFixture f;
  final List<Rejection> seen = new ArrayList<>();

  @BeforeEach
  void setUp() {
    f = new VxlanFixture(state);
    f.sync.onRejected(seen::add);
  }

  /** Node 3's lease, created at revision 10. */
  static Lease node3() {
    return lease("10.244.39.0/24", "198.18.0.3", M3, 10);
  }

  /** A lease under a dual-stack key naming node 3's IPv4 subnet (the rogue). */
  static Lease rogueSubnet(long revision) {
    Lease l = lease("10.244.39.0/24", "198.18.0.9", "aa:bb:cc:00:00:0a", revision);
    return new Lease(
        l.subnet(), l.attrs(), 7, null, revision, Ipv6Net.parse("fc00:0:0:99::/64"), revision);
  }

  Set<String> fdb() {
    return f.nl.fdb(f.dev()).stream().map(FdbEntry::toString).collect(Collectors.toSet());
  }

  Route routeOf(String subnet) {
    return f.nl.routes(Route.TABLE_MAIN).stream()
        .filter(r -> r.destination().equals(Ipv4Net.parse(subnet)))
        .findFirst()
        .orElse(null);
  }

  @Test
  void aYoungerLeaseOfALiveNodesSubnetIsRejectedAndDeletingItChangesNothing() {
    f.sync.snapshot(List.of(node3()));
    List<String> before = List.copyOf(f.nl.log());
    f.sync.events(List.of(LeaseEvent.added(rogueSubnet(20))));
    assertThat(f.nl.log()).as("nothing written for the rogue").isEqualTo(before);
    assertThat(f.sync.isProgrammed(node3().key())).isTrue();
    assertThat(seen)
        .extracting(Rejection::reason)
        .containsExactly(
            "conflict: IPv4 subnet 10.244.39.0/24 is held by the older lease 10.244.39.0-24"
                + " (198.18.0.3)");
    assertThat(f.sync.conflictCount()).isEqualTo(1);
    f.sync.events(List.of(LeaseEvent.removed(rogueSubnet(20))));
    assertThat(f.nl.log()).as("deleting it changes nothing").isEqualTo(before);
    assertThat(f.sync.diff()).isEmpty();
    assertThat(f.sync.rejected()).isEmpty();
  }

  @Test
  void whenTheOlderLeaseLeavesTheYoungerIsProgrammedInItsPlace() {
    Lease rogue = rogueSubnet(5); // older than node 3's
    f.sync.snapshot(List.of(node3(), rogue));
    assertThat(f.sync.isProgrammed(rogue.key())).isTrue();
    assertThat(f.sync.isProgrammed(node3().key())).isFalse();
    assertThat(fdb()).anyMatch(e -> e.contains("198.18.0.9"));
    f.sync.events(List.of(LeaseEvent.removed(rogue)));
    assertThat(f.sync.isProgrammed(node3().key())).isTrue();
    assertThat(fdb()).noneMatch(e -> e.contains("198.18.0.9")).anyMatch(e -> e.contains(M3));
    assertThat(routeOf("10.244.39.0/24")).isNotNull();
    assertThat(f.sync.diff()).isEmpty();
  }

  @Test
  void aLeaseCarryingAnotherNodesVtepMacCannotStealItsFdbEntry() {
    f.sync.snapshot(List.of(node3()));
    Set<String> fdb = fdb();
    f.sync.events(List.of(LeaseEvent.added(lease("10.244.77.0/24", "198.18.0.9", M3, 30))));
    assertThat(fdb()).isEqualTo(fdb);
    assertThat(routeOf("10.244.77.0/24")).isNull();
    assertThat(seen.get(0).reason())
        .isEqualTo(
            "conflict: VtepMAC aa:bb:cc:00:00:03 is held by the older lease 10.244.39.0-24"
                + " (198.18.0.3)");
    assertThat(f.sync.repair().repaired()).as("no flip-flop at reconcile").isEmpty();
    assertThat(f.sync.diff()).isEmpty();
  }

  @Test
  void ourOwnOlderLeaseKeepsItsSubnetAndAYoungerOwnLeaseIsReported() {
    Lease ownOld =
        new Lease(
            VxlanFixture.OWN,
            LeaseAttrs.of(
                Ipv4Address.parse("198.18.0.1"),
                "vxlan",
                Json.object("VNI", 1, "VtepMAC", "aa:bb:cc:00:00:01")),
            7,
            null,
            3);
    f.sync.own(ownOld);
    Lease sharesOurs = lease("10.244.1.0/24", "198.18.0.9", "aa:bb:cc:00:00:0b", 40);
    sharesOurs =
        new Lease(
            sharesOurs.subnet(), sharesOurs.attrs(), 7, null, 40, Ipv6Net.parse("fc00::/64"), 40);
    f.sync.snapshot(List.of(sharesOurs));
    assertThat(f.sync.rejected())
        .extracting(Rejection::reason)
        .containsExactly("conflict: IPv4 subnet 10.244.1.0/24 is this node's (its lease is older)");
    assertThat(f.sync.ownConflict()).isNull();
    // the same lease, older than ours: other nodes program it, and we say so
    Lease older = new Lease(sharesOurs.subnet(), sharesOurs.attrs(), 7, null, 1, fc00(), 1);
    f.sync.events(List.of(LeaseEvent.removed(sharesOurs), LeaseEvent.added(older)));
    assertThat(f.sync.ownConflict().claim()).isEqualTo("IPv4 subnet 10.244.1.0/24");
    assertThat(f.sync.isProgrammed(older.key())).as("never a route to our own subnet").isFalse();
  }

  static Ipv6Net fc00() {
    return Ipv6Net.parse("fc00::/64");
  }

  /** The vxlan backend, but throwing {@code e} for the lease of 10.244.66.0/24. */
  Backend failingFor66(RuntimeException e) {
    return (Backend)
        Proxy.newProxyInstance(
            Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class},
            (proxy, m, args) -> {
              if (m.getName().equals("objectsFor")
                  && ((Lease) args[0]).subnet().equals(Ipv4Net.parse("10.244.66.0/24"))) {
                throw e;
              }
              try {
                return m.invoke(f.backend, args);
              } catch (java.lang.reflect.InvocationTargetException x) {
                throw x.getCause();
              }
            });
  }

  PeerSync syncOn(Backend b) {
    return new PeerSync(
        f.nl,
        b,
        new LeaseValidator(VxlanFixture.CONFIG, VxlanFixture.OWN, f.ext.publicIp()),
        VxlanFixture.CONFIG,
        new SubnetKey(VxlanFixture.OWN, null));
  }

  @Test
  void aBackendBugIsNeverARejection() {
    PeerSync s = syncOn(failingFor66(new NullPointerException("boom")));
    List<String> bugs = new ArrayList<>();
    s.onBackendError((l, e) -> bugs.add(l.key() + ": " + e));
    s.snapshot(List.of(lease("10.244.66.0/24", "198.18.0.66", "aa:bb:cc:00:00:66", 1)));
    assertThat(s.rejected()).as("not shown as a rejected lease").isEmpty();
    assertThat(bugs).containsExactly("10.244.66.0/24: java.lang.NullPointerException: boom");
    assertThat(s.backendErrorCount()).isEqualTo(1);
    assertThat(s.backendFailures())
        .containsOnlyKeys(new SubnetKey(Ipv4Net.parse("10.244.66.0/24"), null));
  }

  @Test
  void aBackendBugFailsATestThatInstallsTheTestHandler() {
    PeerSync s = syncOn(failingFor66(new NullPointerException("boom")));
    s.onBackendError(
        (l, e) -> {
          throw new AssertionError("backend bug on lease " + l.key(), e);
        });
    assertThatThrownBy(
            () ->
                s.events(
                    List.of(
                        LeaseEvent.added(
                            lease("10.244.66.0/24", "198.18.0.66", "aa:bb:cc:00:00:66", 1)))))
        .isInstanceOf(AssertionError.class)
        .hasRootCauseInstanceOf(NullPointerException.class);
  }

  @Test
  void badLeaseDataIsARejection() throws Exception {
    PeerSync s =
        syncOn(
            (Backend)
                Proxy.newProxyInstance(
                    Backend.class.getClassLoader(),
                    new Class<?>[] {Backend.class},
                    (proxy, m, args) -> {
                      if (m.getName().equals("objectsFor")) {
                        throw new BadLeaseException("no good");
                      }
                      return m.invoke(f.backend, args);
                    }));
    s.snapshot(List.of(lease("10.244.66.0/24", "198.18.0.66", "aa:bb:cc:00:00:66", 1)));
    assertThat(s.rejected()).extracting(Rejection::reason).containsExactly("no good");
    assertThat(s.backendErrorCount()).isZero();
  }
}
