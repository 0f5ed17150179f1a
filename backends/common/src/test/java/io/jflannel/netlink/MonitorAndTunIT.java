package io.jflannel.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor sees changes made by others; TUN moves real packets; no CAP_NET_ADMIN gives EPERM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorAndTunIT {
  static Netlink nl;
  static Link eth;

  @BeforeAll
  static void setUp() {
    Shell.requireOwnNamespace();
    nl = Netlink.open();
    eth = nl.createLink(LinkSpec.veth("eth0", "eth0p"));
    nl.setUp(nl.link("eth0p").orElseThrow().index(), true);
    nl.setUp(eth.index(), true);
    nl.replace(new Address(eth.index(), Ipv4Address.parse("198.18.0.1"), 24));
  }

  @AfterAll
  static void tearDown() {
    if (nl != null) {
      nl.close();
    }
  }

  @Test
  void monitorSeesARouteDeletedByHandAndALinkGoingDown() {
    List<NetlinkEvent> events = new CopyOnWriteArrayList<>();
    Route r =
        Route.via(
            Ipv4Net.parse("10.244.4.0/24"), Ipv4Address.parse("198.18.0.4"), eth.index(), false);
    nl.replace(r);
    try (NetlinkMonitor m = nl.monitor(events::add)) {
      Shell.ok("ip", "route", "del", "10.244.4.0/24");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> events.stream().anyMatch(e -> e.removed() && r.equals(e.object())));
      Shell.ok("ip", "link", "set", "eth0p", "down");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              e.link() != null
                                  && e.link().name().equals("eth0p")
                                  && !e.link().isUp()));
    }
  }

  @Test
  void tunDeviceCarriesAPacketFromTheKernel() throws Exception {
    assertThat(TunDevice.isAvailable()).as(TunDevice.unavailabilityCause()).isTrue();
    try (TunDevice tun = TunDevice.open("flannel0", 0)) {
      assertThat(tun.name()).isEqualTo("flannel0");
      Link l = nl.link("flannel0").orElseThrow();
      assertThat(Shell.ok("ip", "-d", "link", "show", "flannel0")).contains("tun");
      nl.setMtu(l.index(), 1472);
      nl.replace(new Address(l.index(), Ipv4Address.parse("10.244.1.0"), 32));
      nl.setUp(l.index(), true);
      nl.replace(Route.dev(Ipv4Net.parse("10.244.0.0/16"), l.index()));
      try (DatagramSocket s = new DatagramSocket()) {
        byte[] payload = "hello over tun".getBytes();
        s.send(
            new DatagramPacket(payload, payload.length, new InetSocketAddress("10.244.7.9", 8285)));
      }
      ByteBuffer buf = ByteBuffer.allocateDirect(2048);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                buf.clear();
                int n = tun.read(buf);
                return n > 0
                    && (buf.get(0) >> 4) == 4
                    && buf.get(9) == 17; // IPv4, UDP (skip IPv6 noise)
              });
      byte[] dst = new byte[4];
      buf.get(16, dst);
      assertThat(Ipv4Address.of(dst)).hasToString("10.244.7.9");
      assertThat(buf.position()).isEqualTo(20 + 8 + 14);
    }
    assertThat(nl.link("flannel0")).as("non-persistent TUN goes away on close").isEmpty();
  }

  @Test
  void withoutCapNetAdminWritesFailWithEperm() {
    String java = ProcessHandle.current().info().command().orElse("java");
    Shell.Result r =
        Shell.run(
            List.of(
                "setpriv",
                "--inh-caps=-net_admin",
                "--bounding-set=-net_admin",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                NetlinkProbe.class.getName()));
    assertThat(r.exit()).as(r.err()).isEqualTo(3);
    assertThat(r.out())
        .contains("RTM_NEWLINK probe0 type bridge: Operation not permitted (errno 1)");
    assertThat(r.out())
        .contains(
            "TUNSETIFF probe1 flags 0x1001 (CAP_NET_ADMIN is needed): Operation not permitted (errno 1)");
  }
}
