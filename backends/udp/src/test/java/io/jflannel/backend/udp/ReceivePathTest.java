package io.jflannel.backend.udp;

import static io.jflannel.backend.udp.TestPackets.A;
import static io.jflannel.backend.udp.TestPackets.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Net;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP → TUN: source and destination checks, GRO-style coalescing, checksums. */
class ReceivePathTest {
  static final InetSocketAddress PEER = new InetSocketAddress("198.18.0.11", 8285);
  static final InetSocketAddress ME = new InetSocketAddress("198.18.0.12", 8285);
  final PeerTable table =
      PeerTable.of(
          List.of(TestPackets.lease("10.244.1.0/24", "198.18.0.11")),
          Ipv4Net.parse("10.244.2.0/24"),
          24,
          8285);
  final UdpStats stats = new UdpStats();
  RecordingTunSink tun;
  EmbeddedChannel ch;

  EmbeddedChannel channel(boolean vnet) {
    tun = new RecordingTunSink(vnet);
    UdpTunnelHandler h =
        new UdpTunnelHandler(
            tun, new TcpCoalescer(ByteBufAllocator.DEFAULT), () -> table, 8285, stats, () -> {});
    h.ownSubnet(Ipv4Net.parse("10.244.2.0/24"));
    ch = new EmbeddedChannel(h);
    return ch;
  }

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  static DatagramPacket from(InetSocketAddress sender, ByteBuf pkt) {
    return new DatagramPacket(pkt, ME, sender);
  }

  /** A burst of in-order full-size segments and a short PSH one, as one GRO read delivers. */
  static List<ByteBuf> burst(int count, int mss, long seq) {
    List<ByteBuf> l = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean last = i == count - 1;
      byte[] data = TestPackets.payload(last ? mss / 2 : mss, i);
      l.add(TestPackets.tcp(A, B, seq + (long) i * mss, last ? 0x18 : 0x10, data, false));
    }
    return l;
  }

  @Test
  void aBurstOfOneFlowBecomesOneSuperPacketThatSegmentsBackToTheOriginals() {
    channel(true);
    List<ByteBuf> originals = burst(20, 1420, 4_294_967_000L);
    List<byte[]> expected = originals.stream().map(ByteBufUtil::getBytes).toList();
    ch.writeInbound(originals.stream().map(p -> (Object) from(PEER, p)).toArray());
    assertThat(tun.packets()).hasSize(1);
    ByteBuf merged = Unpooled.directBuffer().writeBytes(tun.packets().get(0));
    VnetHeader h = VnetHeader.read(merged, 0);
    assertThat(h.gsoType()).isEqualTo(VnetHeader.GSO_TCPV4);
    assertThat(h.flags()).isEqualTo(VnetHeader.NEEDS_CSUM);
    assertThat(h.gsoSize()).isEqualTo(1420);
    assertThat(h.hdrLen()).isEqualTo(52);
    assertThat(h.csumStart()).isEqualTo(20);
    assertThat(h.csumOffset()).isEqualTo(16);
    int len = merged.readableBytes() - VnetHeader.LEN;
    assertThat(Ipv4Packet.totalLength(merged, VnetHeader.LEN)).isEqualTo(len);
    assertThat(len).isEqualTo(52 + 19 * 1420 + 710);
    assertThat(TestPackets.ipChecksumOk(merged, VnetHeader.LEN)).isTrue();
    // what the kernel will do with it: segment at gso_size, completing checksums
    List<byte[]> again = new ArrayList<>();
    TcpSegmenter.segment(
        merged,
        VnetHeader.LEN,
        len,
        h.gsoSize(),
        ByteBufAllocator.DEFAULT,
        g -> {
          for (int at = 0; at < g.readableBytes(); at += 52 + 1420) {
            again.add(ByteBufUtil.getBytes(g, at, Math.min(52 + 1420, g.readableBytes() - at)));
          }
          g.release();
        });
    assertThat(again).hasSize(20);
    for (int i = 0; i < 20; i++) {
      byte[] a = again.get(i);
      byte[] e = expected.get(i);
      a[4] = e[4]; // IP id and so the IP checksum differ by design
      a[5] = e[5];
      a[10] = e[10];
      a[11] = e[11];
      assertThat(a).as("segment %d", i).isEqualTo(e);
    }
    assertThat(stats.rxPackets.sum()).isEqualTo(20);
    merged.release();
  }

  @Test
  void segmentsThatDoNotFollowOnAreNotMerged() {
    channel(true);
    List<ByteBuf> b = burst(3, 1000, 100);
    ByteBuf gap = TestPackets.tcp(A, B, 100 + 5000, 0x10, TestPackets.payload(1000, 9), false);
    ByteBuf syn = TestPackets.tcp(A, B, 1, 0x02, new byte[0], false);
    ByteBuf bad = TestPackets.tcp(A, B, 100 + 6000, 0x10, TestPackets.payload(1000, 8), false);
    bad.setByte(60, bad.getByte(60) ^ 1); // corrupt: must reach the kernel alone, to be dropped
    ch.writeInbound(from(PEER, b.get(0)), from(PEER, b.get(1)), from(PEER, gap));
    ch.writeInbound(from(PEER, syn), from(PEER, bad), from(PEER, b.get(2)));
    // [b0+b1 merged], gap, syn, bad, b2 (a new read: not merged with b1)
    assertThat(tun.packets()).hasSize(5);
    assertThat(VnetHeader.read(Unpooled.wrappedBuffer(tun.packets().get(0)), 0).gsoType())
        .isEqualTo(VnetHeader.GSO_TCPV4);
    for (int i = 1; i < 5; i++) {
      assertThat(VnetHeader.read(Unpooled.wrappedBuffer(tun.packets().get(i)), 0))
          .isEqualTo(VnetHeader.NONE);
    }
  }

  @Test
  void withoutVirtioHeadersPacketsAreWrittenOneByOneUnchanged() {
    channel(false);
    List<ByteBuf> b = burst(4, 1000, 100);
    List<byte[]> expected = b.stream().map(ByteBufUtil::getBytes).toList();
    ch.writeInbound(b.stream().map(p -> (Object) from(PEER, p)).toArray());
    assertThat(tun.packets()).containsExactlyElementsOf(expected);
  }

  @Test
  void strangersWrongPortsAndForeignDestinationsAreDroppedAndCounted() {
    channel(true);
    ByteBuf ok = TestPackets.tcp(A, B, 1, 0x10, TestPackets.payload(10, 1), false);
    ch.writeInbound(from(new InetSocketAddress("198.18.0.66", 8285), ok.retainedDuplicate()));
    ch.writeInbound(from(new InetSocketAddress("198.18.0.11", 9999), ok.retainedDuplicate()));
    ByteBuf foreign = TestPackets.tcp(A, TestPackets.A, 1, 0x10, TestPackets.payload(10, 1), false);
    ch.writeInbound(from(PEER, foreign));
    ch.writeInbound(from(PEER, Unpooled.directBuffer().writeInt(0x60000000)));
    assertThat(tun.packets()).isEmpty();
    assertThat(stats.drops(DropReason.UNKNOWN_SOURCE)).isEqualTo(2);
    assertThat(stats.drops(DropReason.NOT_OUR_SUBNET)).isEqualTo(1);
    assertThat(stats.drops(DropReason.MALFORMED)).isEqualTo(1);
    ch.writeInbound(from(PEER, ok));
    assertThat(tun.packets()).hasSize(1);
  }
}
