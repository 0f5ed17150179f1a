package io.jflannel.backend.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.LinkSpec;
import io.jflannel.netlink.Netlink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The udp backend against the real kernel, in the JVM's own network namespace: a real TUN device,
 * real pings, and a fake peer node (a plain UDP socket at 198.18.0.2:8285) that answers them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UdpBackendIT {
  static final String CONFIG = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\"}}";
  static Netlink nl;
  static BackendContext ctx;
  static Backend backend;
  static DatagramSocket peer;

  @BeforeAll
  static void setUp() throws Exception {
    String links = Proc.ok("ip", "-o", "link", "show");
    if (links.lines().count() != 1) {
      throw new IllegalStateException("must run in a fresh network namespace; found:\n" + links);
    }
    Proc.ok("ip", "link", "set", "lo", "up");
    nl = Netlink.open();
    Link eth = nl.createLink(LinkSpec.veth("eth0", "eth0p"));
    Link ethp = nl.link("eth0p").orElseThrow();
    nl.setUp(eth.index(), true);
    nl.setUp(ethp.index(), true);
    nl.replace(new Address(eth.index(), Ipv4Address.parse("198.18.0.1"), 24));
    nl.replace(new Address(ethp.index(), Ipv4Address.parse("198.18.0.2"), 24));
    Path state = Files.createTempDirectory("udp-it");
    ctx =
        new BackendContext(
            nl,
            new ExternalInterface(
                nl.link("eth0").orElseThrow(),
                Ipv4Address.parse("198.18.0.1"),
                Ipv4Net.parse("198.18.0.0/24"),
                Ipv4Address.parse("198.18.0.1")),
            NetworkConfig.parse(CONFIG),
            state);
    peer = new DatagramSocket(new InetSocketAddress("198.18.0.2", 8285));
    peer.setSoTimeout(5000);
    backend = startBackend();
  }

  static Backend startBackend() {
    Backend b = new UdpBackendFactory().create(ctx);
    b.prepare();
    b.start(TestPackets.lease("10.244.1.0/24", "198.18.0.1"));
    b.peersChanged(List.of(TestPackets.lease("10.244.2.0/24", "198.18.0.2")));
    return b;
  }

  @AfterAll
  static void tearDown() {
    if (backend != null) {
      backend.close();
    }
    if (peer != null) {
      peer.close();
    }
    if (nl != null) {
      nl.link("flannel0").ifPresent(l -> nl.deleteLink(l.index()));
      nl.close();
    }
  }

  @Test
  @Order(1)
  void flannel0IsAPersistentTunWithOffloadsAddressAndTheClusterRoute() {
    String dev = Proc.ok("ip", "-d", "link", "show", "flannel0");
    assertThat(dev).contains("mtu 1472", "tun type tun pi off vnet_hdr on persist on", "UP");
    assertThat(Proc.ok("ip", "-4", "addr", "show", "flannel0")).contains("inet 10.244.1.0/32");
    assertThat(Proc.ok("ip", "route", "show", "10.244.0.0/16"))
        .contains("10.244.0.0/16 dev flannel0 proto 121 scope link");
    assertThat(Proc.ok("ss", "-uln")).contains("198.18.0.1]:8285");
  }

  @Test
  @Order(2)
  void aPingTravelsAsARawIpDatagramToThePeerAndItsReplyComesBackThroughTun() throws Exception {
    pingThroughFakePeer();
  }

  static void pingThroughFakePeer() throws Exception {
    Process ping = new ProcessBuilder("ping", "-c", "1", "-W", "5", "10.244.2.5").start();
    DatagramPacket d = new DatagramPacket(new byte[2048], 2048);
    do {
      peer.receive(d); // skip SYN retransmissions of the TCP test
    } while (d.getData()[9] != Ipv4Packet.PROTO_ICMP);
    assertThat(d.getSocketAddress()).isEqualTo(new InetSocketAddress("198.18.0.1", 8285));
    ByteBuf p = Unpooled.directBuffer().writeBytes(d.getData(), 0, d.getLength());
    assertThat(Ipv4Packet.isIpv4(p, 0, d.getLength())).isTrue();
    assertThat(Ipv4Packet.totalLength(p, 0))
        .as("nothing but the IP packet")
        .isEqualTo(d.getLength());
    assertThat(Ipv4Packet.protocol(p, 0)).isEqualTo(Ipv4Packet.PROTO_ICMP);
    assertThat(Ipv4Packet.source(p, 0)).isEqualTo(Ipv4Address.parse("10.244.1.0").value());
    assertThat(Ipv4Packet.destination(p, 0)).isEqualTo(Ipv4Address.parse("10.244.2.5").value());
    assertThat(TestPackets.ipChecksumOk(p, 0)).isTrue();
    // answer as the peer node would: echo reply from 10.244.2.5
    int src = Ipv4Packet.source(p, 0);
    p.setInt(12, Ipv4Packet.destination(p, 0)).setInt(16, src);
    Checksum.fixIpHeader(p, 0);
    p.setByte(20, 0).setShort(22, 0);
    p.setShort(22, Checksum.finish(Checksum.sum(p, 20, d.getLength() - 20)));
    byte[] reply = new byte[d.getLength()];
    p.getBytes(0, reply);
    p.release();
    peer.send(new DatagramPacket(reply, reply.length, new InetSocketAddress("198.18.0.1", 8285)));
    assertThat(ping.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(ping.getInputStream().readAllBytes()))
        .contains("1 packets transmitted, 1 received");
  }

  @Test
  @Order(3)
  void aTcpSynLeavesWithItsPartialChecksumCompleted() throws Exception {
    Thread connector =
        new Thread(
            () -> {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("10.244.2.7", 5000), 2000);
              } catch (Exception expected) {
                // nobody answers the SYN
              }
            });
    connector.start();
    DatagramPacket d = new DatagramPacket(new byte[2048], 2048);
    do {
      peer.receive(d);
    } while (d.getData()[9] != Ipv4Packet.PROTO_TCP);
    ByteBuf p = Unpooled.directBuffer().writeBytes(d.getData(), 0, d.getLength());
    assertThat(p.getUnsignedByte(33) & Ipv4Packet.TCP_SYN).isNotZero();
    assertThat(Checksum.transportValid(p, 0, d.getLength())).as("TCP checksum").isTrue();
    p.release();
    connector.join();
  }

  @Test
  @Order(4)
  void anUnknownClusterDestinationGetsNetUnreachableAtOnce() {
    Proc.Result r = Proc.run("ping", "-c", "1", "-W", "3", "10.244.9.9");
    assertThat(r.out()).contains("From 10.244.0.0", "Destination Net Unreachable");
    assertThat(metric("jflannel_udp_drops_total", "no_peer")).isPositive();
    assertThat(metric("jflannel_udp_icmp_unreachable_total", null)).isPositive();
  }

  @Test
  @Order(5)
  void datagramsFromAnotherPortAreDroppedAndCounted() throws Exception {
    long before = metric("jflannel_udp_drops_total", "unknown_source");
    try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("198.18.0.2", 9999))) {
      ByteBuf p =
          TestPackets.tcp(
              TestPackets.B, Ipv4Address.parse("10.244.1.5").value(), 1, 0x10, new byte[10], false);
      byte[] b = new byte[p.readableBytes()];
      p.getBytes(0, b);
      p.release();
      stranger.send(new DatagramPacket(b, b.length, new InetSocketAddress("198.18.0.1", 8285)));
    }
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (metric("jflannel_udp_drops_total", "unknown_source") == before
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(metric("jflannel_udp_drops_total", "unknown_source")).isEqualTo(before + 1);
  }

  @Test
  @Order(6)
  void aRestartedBackendReattachesToTheDeviceThatOutlivedIt() throws Exception {
    backend.close();
    backend = null;
    assertThat(Proc.ok("ip", "-4", "addr", "show", "flannel0"))
        .as("device, address kept while no agent is attached")
        .contains("inet 10.244.1.0/32");
    backend = startBackend();
    pingThroughFakePeer();
  }

  @Test
  @Order(7)
  void flannel0DeletedByHandIsRecreatedAndCarriesTrafficAgain() throws Exception {
    Proc.ok("ip", "link", "del", "flannel0");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Proc.run("ip", "-4", "addr", "show", "flannel0").out().contains("inet 10.244.1.0/32")
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Proc.ok("ip", "-d", "link", "show", "flannel0")).contains("vnet_hdr on persist on");
    assertThat(Proc.ok("ip", "-4", "addr", "show", "flannel0")).contains("inet 10.244.1.0/32");
    assertThat(Proc.ok("ip", "route", "show", "10.244.0.0/16"))
        .contains("10.244.0.0/16 dev flannel0 proto 121 scope link");
    pingThroughFakePeer();
    assertThat(metric("jflannel_udp_drops_total", "tun_read_failed")).isPositive();
  }

  static long metric(String name, String label) {
    return backend.metrics().stream()
        .filter(m -> m.name().equals(name) && (label == null || label.equals(m.labelValue())))
        .mapToLong(m -> m.value().getAsLong())
        .sum();
  }

  /** Runs observer commands. */
  static final class Proc {
    record Result(int exit, String out) {}

    static Result run(String... cmd) {
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return new Result(p.exitValue(), out);
      } catch (Exception e) {
        throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
      }
    }

    static String ok(String... cmd) {
      Result r = run(cmd);
      if (r.exit() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out());
      }
      return r.out();
    }
  }
}
