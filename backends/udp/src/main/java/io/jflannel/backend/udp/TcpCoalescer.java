package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Software GRO for the receive path: consecutive in-order segments of one TCP flow among the
 * packets of one socket read become one super-packet, written to TUN with a virtio header asking
 * the kernel for segmentation (GSO_TCPV4, gso_size = the segments' payload) and a partial checksum.
 * Like the kernel's GRO, only plain data segments (ACK, PSH on the last) with identical headers but
 * sequence numbers are merged, never past a short or PSH segment, and only segments whose checksum
 * verifies (a bad one is written alone, for the kernel to drop).
 */
final class TcpCoalescer {
  private static final int MAX_LEN = 65_535;
  private static final int MERGEABLE = Ipv4Packet.TCP_ACK | Ipv4Packet.TCP_PSH;
  private final ByteBuf scratch;

  TcpCoalescer(ByteBufAllocator alloc) {
    this.scratch = alloc.directBuffer(VnetHeader.LEN + MAX_LEN);
  }

  /** Writes {@code packets} (each buffer one IPv4 packet) to {@code tun}, merged where possible. */
  void writeAll(List<ByteBuf> packets, TunSink tun) {
    int n = packets.size();
    for (int i = 0; i < n; ) {
      ByteBuf first = packets.get(i);
      int j = i + 1;
      if (tun.vnetHeader() && mergeable(first)) {
        int mss = payload(first);
        int total = first.readableBytes();
        ByteBuf prev = first;
        while (j < n
            && (flags(prev) & Ipv4Packet.TCP_PSH) == 0
            && payload(prev) == mss
            && follows(prev, packets.get(j))
            && total + payload(packets.get(j)) <= MAX_LEN) {
          prev = packets.get(j++);
          total += payload(prev);
        }
      }
      if (j - i == 1) {
        writeOne(first, tun);
      } else {
        writeMerged(packets.subList(i, j), tun);
      }
      i = j;
    }
  }

  private void writeOne(ByteBuf p, TunSink tun) {
    if (!tun.vnetHeader()) {
      tun.write(p);
      return;
    }
    scratch.clear();
    VnetHeader.NONE.write(scratch);
    scratch.writeBytes(p, p.readerIndex(), p.readableBytes());
    tun.write(scratch);
  }

  private void writeMerged(List<ByteBuf> run, TunSink tun) {
    ByteBuf first = run.get(0);
    int off = first.readerIndex();
    int ihl = Ipv4Packet.headerLength(first, off);
    int hdrs = ihl + Ipv4Packet.tcpHeaderLength(first, off);
    int mss = payload(first);
    scratch.clear();
    new VnetHeader(VnetHeader.NEEDS_CSUM, VnetHeader.GSO_TCPV4, hdrs, mss, ihl, 16).write(scratch);
    int ip = scratch.writerIndex();
    scratch.writeBytes(first, off, hdrs);
    int lastFlags = 0;
    for (ByteBuf p : run) {
      scratch.writeBytes(p, p.readerIndex() + hdrs, payload(p));
      lastFlags = flags(p);
    }
    int total = scratch.writerIndex() - ip;
    scratch.setShort(ip + 2, total);
    Checksum.fixIpHeader(scratch, ip);
    int t = ip + ihl;
    scratch.setByte(t + 13, flags(first) | (lastFlags & Ipv4Packet.TCP_PSH));
    long pseudo =
        Checksum.pseudoHeader(
            Ipv4Packet.source(first, off),
            Ipv4Packet.destination(first, off),
            Ipv4Packet.PROTO_TCP,
            total - ihl);
    scratch.setShort(t + 16, Checksum.fold(pseudo)); // partial: the kernel completes it
    tun.write(scratch);
  }

  private static boolean mergeable(ByteBuf p) {
    int off = p.readerIndex();
    return Ipv4Packet.protocol(p, off) == Ipv4Packet.PROTO_TCP
        && Ipv4Packet.headerLength(p, off) == Ipv4Packet.MIN_HEADER
        && !Ipv4Packet.isFragment(p, off)
        && (flags(p) & ~MERGEABLE) == 0
        && (flags(p) & Ipv4Packet.TCP_ACK) != 0
        && payload(p) > 0
        && Checksum.transportValid(p, off, p.readableBytes());
  }

  /** True when {@code b} continues {@code a}'s flow right where a ends, with equal headers. */
  private static boolean follows(ByteBuf a, ByteBuf b) {
    if (!mergeable(b)) {
      return false;
    }
    int ao = a.readerIndex();
    int bo = b.readerIndex();
    int thl = Ipv4Packet.tcpHeaderLength(a, ao);
    if (Ipv4Packet.tcpHeaderLength(b, bo) != thl
        || a.getShort(ao) != b.getShort(bo) // version, ihl, tos
        || a.getShort(ao + 6) != b.getShort(bo + 6) // DF
        || a.getShort(ao + 8) != b.getShort(bo + 8) // ttl, protocol
        || a.getLong(ao + 12) != b.getLong(bo + 12) // addresses
        || a.getInt(ao + 20) != b.getInt(bo + 20) // ports
        || a.getInt(ao + 24) + payload(a) != b.getInt(bo + 24) // seq (wraps)
        || a.getInt(ao + 28) != b.getInt(bo + 28) // ack
        || a.getShort(ao + 34) != b.getShort(bo + 34)) { // window
      return false;
    }
    return thl == 20 || a.slice(ao + 40, thl - 20).equals(b.slice(bo + 40, thl - 20));
  }

  private static int flags(ByteBuf p) {
    return p.getUnsignedByte(p.readerIndex() + Ipv4Packet.MIN_HEADER + 13);
  }

  private static int payload(ByteBuf p) {
    int off = p.readerIndex();
    return p.readableBytes() - Ipv4Packet.headerLength(p, off) - Ipv4Packet.tcpHeaderLength(p, off);
  }

  /** Releases the scratch buffer. */
  void release() {
    scratch.release();
  }
}
