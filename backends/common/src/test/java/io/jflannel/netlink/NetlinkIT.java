package io.jflannel.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Links, addresses, routes, neighbours and FDB entries on the real kernel, in a fresh netns. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetlinkIT {
  static Netlink nl;
  static Link underlay;

  static Ipv4Address ip(String s) {
    return Ipv4Address.parse(s);
  }

  @BeforeAll
  static void setUp() {
    Shell.requireOwnNamespace();
    nl = Netlink.open();
    underlay = nl.createLink(LinkSpec.veth("eth0", "eth0p")); // this kernel has no dummy driver
    nl.setUp(nl.link("eth0p").orElseThrow().index(), true);
    nl.setUp(underlay.index(), true);
    nl.replace(new Address(underlay.index(), ip("198.18.0.1"), 24));
  }

  @AfterAll
  static void tearDown() {
    if (nl != null) {
      nl.close();
    }
  }

  @Test
  void createsVxlanAsFlannelAndReadsItBack() {
    MacAddress mac = MacAddress.parse("c6:d2:32:6f:8f:44");
    Link v =
        nl.createLink(
            LinkSpec.vxlan(
                "flannel.1",
                new VxlanInfo(1, ip("198.18.0.1"), 8472, underlay.index(), false),
                1450,
                mac));
    nl.setUp(v.index(), true);
    Link back = nl.link("flannel.1").orElseThrow();
    assertThat(back.kind()).isEqualTo("vxlan");
    assertThat(back.mac()).isEqualTo(mac);
    assertThat(back.mtu()).isEqualTo(1450);
    assertThat(back.isUp()).isTrue();
    assertThat(back.vxlan())
        .isEqualTo(new VxlanInfo(1, ip("198.18.0.1"), 8472, underlay.index(), false));
    JsonNode j = Shell.json("ip", "-j", "-d", "link", "show", "flannel.1").get(0);
    assertThat(j.path("address").asText()).isEqualTo("c6:d2:32:6f:8f:44");
    JsonNode data = j.path("linkinfo").path("info_data");
    assertThat(data.path("id").asInt()).isEqualTo(1);
    assertThat(data.path("local").asText()).isEqualTo("198.18.0.1");
    assertThat(data.path("port").asInt()).isEqualTo(8472);
    assertThat(data.path("learning").asBoolean(true)).isFalse();
    assertThat(data.path("link").asText()).isEqualTo("eth0");
    assertThatThrownBy(() -> nl.createLink(LinkSpec.vxlan("flannel.1", back.vxlan(), 1450, mac)))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("RTM_NEWLINK flannel.1 type vxlan id 1 dstport 8472: File exists")
        .extracting(e -> ((NetlinkException) e).errno())
        .isEqualTo(NetlinkException.EEXIST);
    nl.deleteLink(v.index());
    assertThat(nl.link("flannel.1")).isEmpty();
    nl.deleteLink(v.index()); // already gone: no error
  }

  @Test
  void addressesRoutesNeighboursAndFdbAsFlannelsVxlanPeer() {
    Link v =
        nl.createLink(
            LinkSpec.vxlan(
                "flannel.7",
                new VxlanInfo(7, ip("198.18.0.1"), 8472, underlay.index(), false),
                1450,
                null));
    nl.setUp(v.index(), true);
    nl.replace(new Address(v.index(), ip("10.244.1.0"), 32));
    nl.replace(new Address(v.index(), ip("10.244.1.0"), 32)); // replace: idempotent
    // beside ours, the kernel's IPv6 link-local address of the device (AF_UNSPEC dump)
    assertThat(nl.addresses(v.index()))
        .filteredOn(a -> !a.address().isIpv6())
        .containsExactly(new Address(v.index(), ip("10.244.1.0"), 32));
    assertThat(nl.addresses(v.index()))
        .filteredOn(a -> a.address().isIpv6())
        .allSatisfy(a -> assertThat(a.address().toString()).startsWith("fe80:"));
    assertThat(
            Shell.json("ip", "-j", "addr", "show", "dev", "flannel.7")
                .get(0)
                .path("addr_info")
                .get(0)
                .path("local")
                .asText())
        .isEqualTo("10.244.1.0");

    MacAddress peerMac = MacAddress.parse("aa:bb:cc:00:00:03");
    Neighbour n = Neighbour.permanent(v.index(), ip("10.244.3.0"), peerMac);
    FdbEntry f = new FdbEntry(v.index(), peerMac, ip("198.18.0.3"));
    Route r = Route.via(Ipv4Net.parse("10.244.3.0/24"), ip("10.244.3.0"), v.index(), true);
    nl.batch().replace(n).replace(f).replace(r).execute();
    nl.batch().replace(n).replace(f).replace(r).execute(); // replace semantics

    // the IPv4 ones: the dump is of both families, and the kernel keeps IPv6 multicast entries
    assertThat(nl.neighbours(v.index())).filteredOn(x -> !x.address().isIpv6()).containsExactly(n);
    assertThat(nl.fdb(v.index())).containsExactly(f);
    assertThat(nl.routes(Route.TABLE_MAIN)).contains(r);

    JsonNode neigh = Shell.json("ip", "-j", "neigh", "show", "dev", "flannel.7").get(0);
    assertThat(neigh.path("dst").asText()).isEqualTo("10.244.3.0");
    assertThat(neigh.path("lladdr").asText()).isEqualTo("aa:bb:cc:00:00:03");
    assertThat(neigh.path("state").toString()).contains("PERMANENT");
    JsonNode fdb = Shell.json("bridge", "-j", "fdb", "show", "dev", "flannel.7");
    assertThat(fdb.toString())
        .contains(
            "\"mac\":\"aa:bb:cc:00:00:03\"",
            "\"dst\":\"198.18.0.3\"",
            "\"self\"",
            "\"state\":\"permanent\"");
    JsonNode route = Shell.json("ip", "-j", "route", "show", "10.244.3.0/24").get(0);
    assertThat(route.path("gateway").asText()).isEqualTo("10.244.3.0");
    assertThat(route.path("dev").asText()).isEqualTo("flannel.7");
    assertThat(route.path("flags").toString()).contains("onlink");
    assertThat(route.path("protocol").asText()).isEqualTo("121");

    nl.batch().delete(r).delete(f).delete(n).execute();
    nl.batch().delete(r).delete(f).delete(n).execute(); // gone already: fine
    assertThat(nl.neighbours(v.index())).filteredOn(x -> !x.address().isIpv6()).isEmpty();
    assertThat(nl.fdb(v.index())).isEmpty();
    assertThat(Shell.ok("ip", "route", "show", "10.244.3.0/24")).isBlank();
    nl.delete(new Address(v.index(), ip("10.244.1.0"), 32));
    assertThat(nl.addresses(v.index())).filteredOn(a -> !a.address().isIpv6()).isEmpty();
    nl.deleteLink(v.index());
  }

  @Test
  void hostGwRouteAndErrorsNameTheRequest() {
    Route r = Route.via(Ipv4Net.parse("10.244.5.0/24"), ip("198.18.0.5"), underlay.index(), false);
    nl.replace(r);
    assertThat(Shell.ok("ip", "route", "show", "10.244.5.0/24"))
        .contains("10.244.5.0/24 via 198.18.0.5 dev eth0 proto 121");
    nl.delete(r);

    assertThatThrownBy(
            () ->
                nl.replace(
                    Route.via(Ipv4Net.parse("10.244.6.0/24"), ip("198.18.0.6"), 9999, false)))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining(
            "RTM_NEWROUTE 10.244.6.0/24 via 198.18.0.6 dev #9999 proto 121: Network is unreachable (errno 101)");
    assertThatThrownBy(() -> nl.setUp(9999, true))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("RTM_NEWLINK dev #9999 up: No such device (errno 19)")
        .extracting(e -> ((NetlinkException) e).errno())
        .isEqualTo(NetlinkException.ENODEV);
    assertThatThrownBy(
            () ->
                nl.replace(
                    Route.via(
                        Ipv4Net.parse("10.244.6.0/24"),
                        ip("203.0.113.9"),
                        underlay.index(),
                        false)))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("RTM_NEWROUTE 10.244.6.0/24 via 203.0.113.9 dev eth0 proto 121:");
    assertThatThrownBy(() -> nl.setMtu(underlay.index(), 10))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("RTM_NEWLINK dev eth0 mtu 10: Invalid argument")
        .extracting(e -> ((NetlinkException) e).errno())
        .isEqualTo(NetlinkException.EINVAL);
    assertThat(nl.link("nope0")).isEmpty();
  }

  @Test
  void batchAppliesEverythingItCanAndNamesEachFailure() {
    Batch b = nl.batch();
    for (int i = 0; i < 2000; i++) {
      b.replace(
          Route.via(
              Ipv4Net.parse("10.244." + (i / 250) + "." + (i % 250) + "/32"),
              ip("198.18.0.9"),
              underlay.index(),
              false));
    }
    b.replace(Route.via(Ipv4Net.parse("10.244.200.0/24"), ip("198.18.0.9"), 4242, false));
    assertThat(b.size()).isEqualTo(2001);
    BatchResult result = b.execute();
    assertThat(result.requests()).isEqualTo(2001);
    assertThat(result.failures())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.error())
                    .hasMessageContaining("10.244.200.0/24 via 198.18.0.9 dev #4242")
                    .extracting(e -> e.errno())
                    .isEqualTo(101)) // ENETUNREACH: no device #4242 to reach the gateway on
        .satisfies(
            f ->
                assertThat(f.object().key())
                    .isEqualTo(new Route.Key(254, Ipv4Net.parse("10.244.200.0/24"), 0)));
    assertThatThrownBy(result::throwIfFailed).isInstanceOf(NetlinkException.class);
    long ours =
        nl.routes(Route.TABLE_MAIN).stream()
            .filter(r -> r.protocol() == Route.PROTOCOL_JFLANNEL)
            .count();
    assertThat(ours).isEqualTo(2000);
    assertThat(Shell.ok("ip", "route", "show", "proto", "121").lines().count()).isEqualTo(2000);
    Batch d = nl.batch();
    nl.routes(Route.TABLE_MAIN).stream()
        .filter(r -> r.protocol() == Route.PROTOCOL_JFLANNEL)
        .forEach(d::delete);
    d.execute();
    assertThat(Shell.ok("ip", "route", "show", "proto", "121")).isBlank();
  }

  @Test
  void partsSentAheadArriveInOrderAndEveryPartsFailuresAreReported() {
    Batch b = nl.batch();
    Route bad = Route.via(Ipv4Net.parse("10.244.201.0/24"), ip("198.18.0.9"), 4242, false);
    Route early =
        Route.via(Ipv4Net.parse("10.244.202.0/24"), ip("198.18.0.9"), underlay.index(), false);
    b.replace(bad).replace(early);
    for (int part = 0; part < 3; part++) {
      for (int i = 0; i < 500; i++) {
        b.replace(
            Route.via(
                Ipv4Net.parse("10.244." + (10 + 2 * part + i / 250) + "." + (i % 250) + "/32"),
                ip("198.18.0.9"),
                underlay.index(),
                false));
      }
      b.flush();
    }
    b.delete(early); // after the parts that wrote it: it must be gone at the end
    assertThat(b.size()).isEqualTo(1503);
    BatchResult result = b.execute();
    assertThat(result.requests()).isEqualTo(1503);
    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.object()).isEqualTo(bad))
        .satisfies(f -> assertThat(f.error().errno()).isEqualTo(101));
    String routes = Shell.ok("ip", "route", "show", "proto", "121");
    assertThat(routes).doesNotContain("10.244.202.0/24");
    assertThat(routes.lines().count()).isEqualTo(1500);
    Batch d = nl.batch();
    nl.routes(Route.TABLE_MAIN).stream()
        .filter(r -> r.protocol() == Route.PROTOCOL_JFLANNEL)
        .forEach(d::delete);
    d.flush();
    assertThat(d.execute().ok()).isTrue();
    assertThat(Shell.ok("ip", "route", "show", "proto", "121")).isBlank();
  }

  @Test
  void aBlackholeRouteCoexistsWithTheConnectedRouteOfItsSubnet() {
    Link br = nl.createLink(LinkSpec.bridge("cni9"));
    nl.setUp(br.index(), true);
    nl.replace(new Address(br.index(), ip("10.244.9.1"), 24));
    nl.replace(Route.blackhole(Ipv4Net.parse("10.244.9.0/24"), 1000));
    nl.replace(Route.blackhole(Ipv4Net.parse("10.244.9.0/24"), 1000)); // replace: idempotent
    assertThat(Shell.ok("ip", "route", "show", "10.244.9.0/24"))
        .contains("10.244.9.0/24 dev cni9 proto kernel scope link src 10.244.9.1")
        .contains("blackhole 10.244.9.0/24 proto 121 metric 1000");
    assertThat(nl.routes(Route.TABLE_MAIN))
        .as("only unicast routes are listed: the blackhole is never taken for a stale route")
        .noneMatch(r -> r.priority() == 1000);
    nl.delete(Route.blackhole(Ipv4Net.parse("10.244.9.0/24"), 1000));
    assertThat(Shell.ok("ip", "route", "show", "type", "blackhole")).isBlank();
    nl.deleteLink(br.index());
  }

  @Test
  void gbpAndLearningAreReadBack() {
    Link v =
        nl.createLink(
            LinkSpec.vxlan(
                "flannel.9",
                new VxlanInfo(9, ip("198.18.0.1"), 8472, underlay.index(), true, true),
                1450,
                null));
    assertThat(nl.link("flannel.9").orElseThrow().vxlan().gbp()).isTrue();
    assertThat(nl.link("flannel.9").orElseThrow().vxlan().learning()).isTrue();
    assertThat(Shell.ok("ip", "-d", "link", "show", "flannel.9")).contains(" gbp ");
    nl.deleteLink(v.index());
  }

  @Test
  void bridgesVethsAndNamespaces() throws Exception {
    Link br = nl.createLink(LinkSpec.bridge("cni0"));
    Link veth = nl.createLink(LinkSpec.veth("veth0", "veth0p"));
    nl.setMaster(veth.index(), br.index());
    nl.setMac(br.index(), MacAddress.parse("02:00:00:00:00:01"));
    assertThat(nl.link("veth0").orElseThrow().masterIndex()).isEqualTo(br.index());
    assertThat(nl.link("veth0p").orElseThrow().kind()).isEqualTo("veth");
    assertThat(Shell.ok("ip", "-o", "link", "show", "veth0")).contains("master cni0");
    Process holder = new ProcessBuilder("unshare", "--net", "sleep", "60").start();
    try {
      Thread.sleep(200);
      nl.moveToNamespacePid(nl.link("veth0p").orElseThrow().index(), (int) holder.pid());
      assertThat(nl.link("veth0p")).isEmpty();
      assertThat(
              Shell.ok(
                  "nsenter", "-t", Long.toString(holder.pid()), "-n", "ip", "-o", "link", "show"))
          .contains("veth0p");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    nl.deleteLink(veth.index());
    nl.deleteLink(br.index());
  }
}
