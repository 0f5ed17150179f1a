package io.jflannel.backend.udp;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;

/** Builds IPv4/TCP packets the way the kernel hands them to TUN. */
final class TestPackets {
  static final int A = Ipv4Address.parse("10.244.1.10").value();
  static final int B = Ipv4Address.parse("10.244.2.10").value();

  private TestPackets() {}

  static byte[] payload(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A TCP segment (with a 12-byte timestamp option) from {@code src} to {@code dst}; checksum
   * complete, or only the pseudo-header sum (as with CHECKSUM_PARTIAL) when {@code partial}.
   */
  static ByteBuf tcp(int src, int dst, long seq, int flags, byte[] data, boolean partial) {
    int thl = 32;
    int total = 20 + thl + data.length;
    ByteBuf b = Unpooled.directBuffer(total);
    b.writeByte(0x45).writeByte(0).writeShort(total).writeShort(0x1234).writeShort(0x4000);
    b.writeByte(64).writeByte(6).writeShort(0).writeInt(src).writeInt(dst);
    b.writeShort(40000).writeShort(5201).writeInt((int) seq).writeInt(777);
    b.writeByte((thl / 4) << 4).writeByte(flags).writeShort(502).writeShort(0).writeShort(0);
    b.writeByte(1).writeByte(1).writeByte(8).writeByte(10).writeInt(1000).writeInt(2000);
    b.writeBytes(data);
    Checksum.fixIpHeader(b, 0);
    long pseudo = Checksum.pseudoHeader(src, dst, 6, thl + data.length);
    if (partial) {
      b.setShort(36, Checksum.fold(pseudo));
    } else {
      b.setShort(36, Checksum.finish(pseudo + Checksum.sum(b, 20, thl + data.length)));
    }
    return b;
  }

  /** {@code pkt} behind a virtio header. */
  static ByteBuf withVnet(VnetHeader h, ByteBuf pkt) {
    ByteBuf b = Unpooled.directBuffer(VnetHeader.LEN + pkt.readableBytes());
    h.write(b);
    b.writeBytes(pkt, pkt.readerIndex(), pkt.readableBytes());
    pkt.release();
    return b;
  }

  static boolean ipChecksumOk(ByteBuf b, int off) {
    return Checksum.fold(Checksum.sum(b, off, Ipv4Packet.headerLength(b, off))) == 0xffff;
  }

  static Lease lease(String subnet, String publicIp) {
    return new Lease(
        Ipv4Net.parse(subnet), LeaseAttrs.of(Ipv4Address.parse(publicIp), "udp", null), 0, null, 0);
  }
}
