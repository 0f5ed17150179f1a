package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;

/** The Internet checksum (RFC 1071) over Netty buffers, eight bytes at a time. */
final class Checksum {
  private Checksum() {}

  /** The unfolded one's-complement sum of {@code len} bytes at {@code off} (words from off). */
  static long sum(ByteBuf b, int off, int len) {
    long acc = 0;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long v = b.getLong(i);
      acc += (v >>> 32) + (v & 0xffffffffL);
    }
    if (i + 4 <= end) {
      acc += b.getUnsignedInt(i);
      i += 4;
    }
    if (i + 2 <= end) {
      acc += b.getUnsignedShort(i);
      i += 2;
    }
    if (i < end) {
      acc += (b.getUnsignedByte(i) << 8);
    }
    return acc;
  }

  /** The sum of the IPv4 pseudo-header for a transport segment of {@code len} bytes. */
  static long pseudoHeader(int src, int dst, int protocol, int len) {
    return (src & 0xffffffffL) + (dst & 0xffffffffL) + protocol + len;
  }

  /** Folds a sum to 16 bits (not complemented). */
  static int fold(long acc) {
    while ((acc >>> 16) != 0) {
      acc = (acc & 0xffff) + (acc >>> 16);
    }
    return (int) acc;
  }

  /** The checksum to store: the complement of the folded sum. */
  static int finish(long acc) {
    return ~fold(acc) & 0xffff;
  }

  /** Recomputes the IPv4 header checksum of the header at {@code off}. */
  static void fixIpHeader(ByteBuf b, int off) {
    int ihl = (b.getByte(off) & 0xf) * 4;
    b.setShort(off + 10, 0);
    b.setShort(off + 10, finish(sum(b, off, ihl)));
  }

  /** True when the TCP or UDP segment after the IPv4 header at {@code off} checks out. */
  static boolean transportValid(ByteBuf b, int off, int totalLen) {
    int ihl = (b.getByte(off) & 0xf) * 4;
    int len = totalLen - ihl;
    long acc =
        pseudoHeader(b.getInt(off + 12), b.getInt(off + 16), b.getUnsignedByte(off + 9), len)
            + sum(b, off + ihl, len);
    return fold(acc) == 0xffff;
  }
}
