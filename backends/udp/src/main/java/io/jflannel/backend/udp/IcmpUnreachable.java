package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * ICMP destination unreachable, code 0 (net unreachable), as flannel's udp backend answers packets
 * for a cluster address no lease owns: the sender learns at once instead of timing out. Never sent
 * in answer to an ICMP error or a non-first fragment, and at most {@code perSecond} a second.
 */
final class IcmpUnreachable {
  private static final int TYPE_UNREACHABLE = 3;
  private final int perSecond;
  private long windowStart;
  private int sentInWindow;

  IcmpUnreachable(int perSecond) {
    this.perSecond = perSecond;
  }

  /** True when a reply to {@code pkt} at {@code off} is allowed (and spends one token). */
  boolean mayAnswer(ByteBuf pkt, int off, long nowNanos) {
    if (Ipv4Packet.isFragment(pkt, off) && (pkt.getUnsignedShort(off + 6) & 0x1fff) != 0) {
      return false;
    }
    if (Ipv4Packet.protocol(pkt, off) == Ipv4Packet.PROTO_ICMP) {
      int type = pkt.getUnsignedByte(off + Ipv4Packet.headerLength(pkt, off));
      if (type != 0 && type != 8) { // only echo request/reply get an answer
        return false;
      }
    }
    if (nowNanos - windowStart >= 1_000_000_000L) {
      windowStart = nowNanos;
      sentInWindow = 0;
    }
    return sentInWindow++ < perSecond;
  }

  /**
   * The reply from {@code from} to the sender of the packet at {@code off} (its header and 8 bytes
   * of payload quoted), after {@code prefix} zero bytes (room for a virtio header).
   */
  static ByteBuf build(ByteBuf pkt, int off, int len, int from, int prefix, ByteBufAllocator a) {
    int quoted = Math.min(len, Ipv4Packet.headerLength(pkt, off) + 8);
    int total = 20 + 8 + quoted;
    ByteBuf b = a.directBuffer(prefix + total);
    b.writeZero(prefix);
    int ip = b.writerIndex();
    b.writeByte(0x45).writeByte(0xc0).writeShort(total).writeShort(0).writeShort(0);
    b.writeByte(64).writeByte(Ipv4Packet.PROTO_ICMP).writeShort(0);
    b.writeInt(from).writeInt(Ipv4Packet.source(pkt, off));
    int icmp = b.writerIndex();
    b.writeByte(TYPE_UNREACHABLE).writeByte(0).writeShort(0).writeInt(0);
    b.writeBytes(pkt, off, quoted);
    Checksum.fixIpHeader(b, ip);
    b.setShort(icmp + 2, Checksum.finish(Checksum.sum(b, icmp, 8 + quoted)));
    return b;
  }
}
