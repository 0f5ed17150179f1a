package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;

/** Field access to an IPv4 packet (and its TCP header) at an offset of a buffer. */
final class Ipv4Packet {
  static final int MIN_HEADER = 20;
  static final int PROTO_ICMP = 1;
  static final int PROTO_TCP = 6;
  static final int TCP_FIN = 0x01;
  static final int TCP_SYN = 0x02;
  static final int TCP_RST = 0x04;
  static final int TCP_PSH = 0x08;
  static final int TCP_ACK = 0x10;
  static final int TCP_CWR = 0x80;

  private Ipv4Packet() {}

  /** True when {@code len} bytes at {@code off} start a plausible IPv4 packet of exactly len. */
  static boolean isIpv4(ByteBuf b, int off, int len) {
    if (len < MIN_HEADER || (b.getByte(off) & 0xf0) != 0x40) {
      return false;
    }
    int ihl = headerLength(b, off);
    int total = totalLength(b, off);
    return ihl >= MIN_HEADER && total >= ihl && total <= len;
  }

  static int headerLength(ByteBuf b, int off) {
    return (b.getByte(off) & 0xf) * 4;
  }

  static int totalLength(ByteBuf b, int off) {
    return b.getUnsignedShort(off + 2);
  }

  static int protocol(ByteBuf b, int off) {
    return b.getUnsignedByte(off + 9);
  }

  static int source(ByteBuf b, int off) {
    return b.getInt(off + 12);
  }

  static int destination(ByteBuf b, int off) {
    return b.getInt(off + 16);
  }

  /** A fragment (more-fragments set or a non-zero offset). */
  static boolean isFragment(ByteBuf b, int off) {
    return (b.getUnsignedShort(off + 6) & 0x3fff) != 0;
  }

  /** The TCP header length of the TCP segment after the IP header at {@code off}. */
  static int tcpHeaderLength(ByteBuf b, int off) {
    return ((b.getUnsignedByte(off + headerLength(b, off) + 12) >> 4) & 0xf) * 4;
  }
}
