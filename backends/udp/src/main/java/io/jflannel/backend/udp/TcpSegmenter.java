package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Software TSO: splits a TCP/IPv4 super-packet that TUN handed over whole (virtio GSO_TCPV4) into
 * MSS-sized segments with their own IP length, id and checksum and TCP sequence number, flags and
 * full checksum. Segments come out back to back in buffers of at most {@link #MAX_GROUP} bytes, all
 * of one size but the last: one UDP GSO send each.
 */
final class TcpSegmenter {
  /** The most bytes one UDP_SEGMENT send may carry (IPv4 UDP payload limit, rounded down). */
  static final int MAX_GROUP = 65_000;

  private TcpSegmenter() {}

  /**
   * Segments the packet of {@code len} bytes at {@code off}; hands each group of segments to {@code
   * out} (the caller owns them) and returns the segment size (headers + mss). {@code in} is not
   * released.
   */
  static int segment(
      ByteBuf in, int off, int len, int mss, ByteBufAllocator alloc, Consumer<ByteBuf> out) {
    int ihl = Ipv4Packet.headerLength(in, off);
    int thl = Ipv4Packet.tcpHeaderLength(in, off);
    int hdrs = ihl + thl;
    int payload = len - hdrs;
    if (mss <= 0 || payload <= 0 || hdrs > len) {
      throw new IllegalArgumentException(
          "bad TSO packet: len " + len + ", headers " + hdrs + ", mss " + mss);
    }
    int segLen = hdrs + mss;
    int perGroup = Math.max(1, MAX_GROUP / segLen);
    int count = (payload + mss - 1) / mss;
    int src = Ipv4Packet.source(in, off);
    int dst = Ipv4Packet.destination(in, off);
    long seq0 = in.getUnsignedInt(off + ihl + 4);
    int id0 = in.getUnsignedShort(off + 4);
    int flags = in.getUnsignedByte(off + ihl + 13);
    ByteBuf group = null;
    for (int i = 0; i < count; i++) {
      if (i % perGroup == 0) {
        if (group != null) {
          out.accept(group);
        }
        int segs = Math.min(perGroup, count - i);
        group = alloc.directBuffer(segs * hdrs + Math.min(payload - i * mss, segs * mss));
      }
      int plen = Math.min(mss, payload - i * mss);
      int s = group.writerIndex();
      group.writeBytes(in, off, hdrs).writeBytes(in, off + hdrs + i * mss, plen);
      group.setShort(s + 2, hdrs + plen);
      group.setShort(s + 4, id0 + i);
      Checksum.fixIpHeader(group, s);
      int t = s + ihl;
      group.setInt(t + 4, (int) (seq0 + (long) i * mss));
      int f = flags;
      if (i < count - 1) {
        f &= ~(Ipv4Packet.TCP_FIN | Ipv4Packet.TCP_PSH);
      }
      if (i > 0) {
        f &= ~Ipv4Packet.TCP_CWR;
      }
      group.setByte(t + 13, f);
      group.setShort(t + 16, 0);
      long acc =
          Checksum.pseudoHeader(src, dst, Ipv4Packet.PROTO_TCP, thl + plen)
              + Checksum.sum(group, t, thl + plen);
      group.setShort(t + 16, Checksum.finish(acc));
    }
    out.accept(group);
    return segLen;
  }

  /**
   * Completes a partial checksum in place (virtio NEEDS_CSUM): the field at {@code csumStart +
   * csumOffset} holds the pseudo-header sum; the rest is summed from csumStart to the end.
   */
  static void completeChecksum(ByteBuf b, int off, int len, int csumStart, int csumOffset) {
    if (csumStart + csumOffset + 2 > len) {
      throw new IllegalArgumentException(
          "checksum at " + csumStart + "+" + csumOffset + " outside a " + len + "-byte packet");
    }
    int at = off + csumStart + csumOffset;
    long acc = Checksum.sum(b, off + csumStart, len - csumStart);
    int c = Checksum.finish(acc);
    b.setShort(at, c == 0 ? 0xffff : c); // as the kernel does: 0 means "no checksum" for UDP
  }
}
