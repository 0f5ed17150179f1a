package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

/** The Internet checksum (RFC 1071) over Netty buffers, eight bytes at a time. */
final class Checksum {
  private Checksum() {}

  /**
   * The one's-complement sum of {@code len} bytes at {@code off} (16-bit words counted from off),
   * folded or not: add sums, then {@link #fold} or {@link #finish}.
   */
  static long sum(ByteBuf b, int off, int len) {
    if (off < 0 || len < 0 || off + len > b.capacity()) {
      throw new IndexOutOfBoundsException(
          "checksum over " + off + "+" + len + " of a " + b.capacity() + "-byte buffer");
    }
    if (b.hasMemoryAddress() && b.refCnt() > 0) {
      long native_ = sumNative(b.memoryAddress() + off, len);
      int folded = fold(native_);
      // RFC 1071 §2(B): a sum taken in swapped byte order is the byte-swapped sum
      return PlatformDependent.BIG_ENDIAN_NATIVE_ORDER
          ? folded
          : Short.reverseBytes((short) folded) & 0xffff;
    }
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

  /** The same in native byte order straight from memory (bounds checked by the caller). */
  private static long sumNative(long address, int len) {
    long acc = 0;
    long a = address;
    long end = address + len;
    for (; a + 8 <= end; a += 8) {
      long v = PlatformDependent.getLong(a);
      acc += (v >>> 32) + (v & 0xffffffffL);
    }
    if (a + 4 <= end) {
      acc += PlatformDependent.getInt(a) & 0xffffffffL;
      a += 4;
    }
    if (a + 2 <= end) {
      acc += PlatformDependent.getShort(a) & 0xffff;
      a += 2;
    }
    if (a < end) {
      // the odd last byte is the high half of a zero-padded word: in native little-endian order,
      // its low half
      acc +=
          PlatformDependent.BIG_ENDIAN_NATIVE_ORDER
              ? (PlatformDependent.getByte(a) & 0xff) << 8
              : PlatformDependent.getByte(a) & 0xff;
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
