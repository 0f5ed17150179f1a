package io.jflannel.backend.udp;

import static io.jflannel.backend.udp.TestPackets.A;
import static io.jflannel.backend.udp.TestPackets.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TUN → UDP: encapsulation, TSO segmentation, checksums, ICMP for unknown destinations. */
class TransmitPathTest {
  static final Ipv4Net NETWORK = Ipv4Net.parse("10.244.0.0/16");
  final PeerTable table =
      PeerTable.of(
          List.of(TestPackets.lease("10.244.2.0/24", "198.18.0.12")),
          Ipv4Net.parse("10.244.1.0/24"),
          24,
          8285);
  final UdpStats stats = new UdpStats();
  final EmbeddedChannel ch = new EmbeddedChannel(); // the UDP side
  TunToUdpHandler tunSide;
  RecordingTunSink tun;
  final List<Throwable> readFailures = new ArrayList<>();

  /** The TUN side: packets written inbound are what TUN hands over. */
  void forwarder(boolean vnet, boolean gso) {
    tun = new RecordingTunSink(vnet);
    int own = Ipv4Address.parse("10.244.1.0").value();
    Encapsulator e =
        new Encapsulator(
            tun, gso, NETWORK, () -> table, () -> own, stats, ByteBufAllocator.DEFAULT);
    tunSide = new TunToUdpHandler(e, ch, stats, readFailures::add);
  }

  /** What the TUN reader does with one packet of a burst: hands it over, then ends the burst. */
  void fromTun(ByteBuf... burst) {
    for (ByteBuf p : burst) {
      tunSide.packet(p);
    }
    tunSide.burstEnd();
  }

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  @Test
  void plainPacketBecomesTheWholePayloadOfADatagramToThePeer() {
    forwarder(false, false);
    ByteBuf p = TestPackets.tcp(A, B, 1, 0x18, TestPackets.payload(100, 1), false);
    byte[] sent = io.netty.buffer.ByteBufUtil.getBytes(p);
    fromTun(p);
    DatagramPacket d = ch.readOutbound();
    assertThat(d.recipient()).isEqualTo(new InetSocketAddress("198.18.0.12", 8285));
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(d.content())).isEqualTo(sent);
    d.release();
    assertThat(stats.txPackets.sum()).isEqualTo(1);
    assertThat(stats.txBytes.sum()).isEqualTo(sent.length);
  }

  @Test
  void partialChecksumIsCompleted() {
    forwarder(true, true);
    ByteBuf p = TestPackets.tcp(A, B, 1, 0x18, TestPackets.payload(333, 2), true);
    int len = p.readableBytes();
    ByteBuf in = TestPackets.withVnet(new VnetHeader(VnetHeader.NEEDS_CSUM, 0, 0, 0, 20, 16), p);
    fromTun(in);
    DatagramPacket d = ch.readOutbound();
    assertThat(d.content().readableBytes()).isEqualTo(len);
    assertThat(Checksum.transportValid(d.content(), 0, len)).isTrue();
    d.release();
  }

  @Test
  void tsoSuperPacketIsSegmentedOnceIntoOneGsoSendWithValidChecksums() {
    checkSegmentation(true);
  }

  @Test
  void withoutUdpGsoTheSegmentsLeaveAsSeparateDatagrams() {
    checkSegmentation(false);
  }

  void checkSegmentation(boolean gso) {
    forwarder(true, gso);
    byte[] data = TestPackets.payload(30_000, 3);
    int mss = 1420;
    ByteBuf p = TestPackets.tcp(A, B, 4_294_960_000L, 0x18, data, true); // seq wraps
    ByteBuf in =
        TestPackets.withVnet(
            new VnetHeader(VnetHeader.NEEDS_CSUM, VnetHeader.GSO_TCPV4, 52, mss, 20, 16), p);
    fromTun(in);
    List<ByteBuf> segments = new ArrayList<>();
    Object o;
    while ((o = ch.readOutbound()) != null) {
      if (o instanceof SegmentedDatagramPacket s) {
        assertThat(gso).isTrue();
        assertThat(s.segmentSize()).isEqualTo(52 + mss);
        ByteBuf c = s.content();
        for (int at = 0; at < c.readableBytes(); at += s.segmentSize()) {
          segments.add(c.retainedSlice(at, Math.min(s.segmentSize(), c.readableBytes() - at)));
        }
        s.release();
      } else {
        DatagramPacket d = (DatagramPacket) o;
        segments.add(d.content().retain());
        d.release();
      }
    }
    int expected = (data.length + mss - 1) / mss;
    assertThat(segments).hasSize(expected);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    Set<Integer> ids = new java.util.HashSet<>();
    for (int i = 0; i < segments.size(); i++) {
      ByteBuf s = segments.get(i);
      int len = s.readableBytes();
      assertThat(Ipv4Packet.totalLength(s, 0)).isEqualTo(len);
      assertThat(TestPackets.ipChecksumOk(s, 0)).as("IP checksum of segment %d", i).isTrue();
      assertThat(Checksum.transportValid(s, 0, len)).as("TCP checksum of segment %d", i).isTrue();
      assertThat(s.getInt(24)).isEqualTo((int) (4_294_960_000L + (long) i * mss));
      int flags = s.getUnsignedByte(33);
      assertThat(flags & Ipv4Packet.TCP_PSH).isEqualTo(i == segments.size() - 1 ? 0x08 : 0);
      ids.add(s.getUnsignedShort(4));
      byte[] chunk = new byte[len - 52];
      s.getBytes(52, chunk);
      joined.writeBytes(chunk);
      s.release();
    }
    assertThat(ids).as("distinct IP ids").hasSize(expected);
    assertThat(joined.toByteArray()).isEqualTo(data);
    assertThat(stats.txPackets.sum()).isEqualTo(expected);
  }

  @Test
  void unknownClusterDestinationGetsIcmpNetUnreachableAndIsCounted() {
    forwarder(true, true);
    int unknown = Ipv4Address.parse("10.244.9.9").value();
    ByteBuf p = TestPackets.tcp(A, unknown, 1, 0x02, new byte[0], false);
    ByteBuf in = TestPackets.withVnet(VnetHeader.NONE, p);
    fromTun(in);
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(stats.drops(DropReason.NO_PEER)).isEqualTo(1);
    assertThat(tun.packets()).hasSize(1);
    ByteBuf r = Unpooled.wrappedBuffer(tun.packets().get(0)).skipBytes(VnetHeader.LEN);
    int off = r.readerIndex();
    assertThat(Ipv4Packet.protocol(r, off)).isEqualTo(Ipv4Packet.PROTO_ICMP);
    assertThat(Ipv4Packet.source(r, off)).isEqualTo(Ipv4Address.parse("10.244.0.0").value());
    assertThat(Ipv4Packet.destination(r, off)).isEqualTo(A);
    assertThat((int) r.getUnsignedByte(off + 20)).as("type").isEqualTo(3);
    assertThat((int) r.getUnsignedByte(off + 21)).as("code: net unreachable").isEqualTo(0);
    assertThat(TestPackets.ipChecksumOk(r, off)).isTrue();
    int icmpLen = Ipv4Packet.totalLength(r, off) - 20;
    assertThat(Checksum.fold(Checksum.sum(r, off + 20, icmpLen))).isEqualTo(0xffff);
    assertThat(r.getInt(off + 28 + 16)).as("quoted original destination").isEqualTo(unknown);
  }

  @Test
  void destinationsOutsideTheClusterAndGarbageAreDroppedWithoutAnswer() {
    forwarder(false, false);
    ByteBuf p =
        TestPackets.tcp(A, Ipv4Address.parse("198.18.0.99").value(), 1, 0x02, new byte[0], false);
    ByteBuf garbage = Unpooled.directBuffer(8).writeLong(0x6000000000000000L); // IPv6-ish
    fromTun(p, garbage);
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(tun.packets()).isEmpty();
    assertThat(stats.drops(DropReason.NO_PEER)).isEqualTo(1);
    assertThat(stats.drops(DropReason.NOT_IPV4)).isEqualTo(1);
    assertThat(p.refCnt()).as("released").isZero();
    assertThat(garbage.refCnt()).as("released").isZero();
  }

  @Test
  void aFailedTunReadHandsTheDeviceBackAndOtherErrorsAreOnlyCounted() {
    forwarder(true, true);
    tunSide.failed(new IllegalStateException("a bug"));
    assertThat(readFailures).isEmpty();
    java.io.IOException gone =
        new java.io.IOException("read(..) failed: File descriptor in bad state");
    tunSide.failed(gone);
    assertThat(readFailures).containsExactly(gone);
    assertThat(stats.drops(DropReason.TUN_READ_FAILED)).isEqualTo(2);
  }
}
