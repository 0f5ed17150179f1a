package io.jflannel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The attributes of one message or nest, indexed by type (later duplicates win). */
final class Attrs {
  private static final int MAX = 64;
  private final ByteBuffer buf;
  private final int[] offset = new int[MAX];
  private final int[] length = new int[MAX];

  /** Parses attributes in {@code buf} from {@code from} to {@code to}. */
  Attrs(ByteBuffer buf, int from, int to) {
    this.buf = buf;
    int p = from;
    while (p + 4 <= to) {
      int len = buf.getShort(p) & 0xffff;
      int type = buf.getShort(p + 2) & 0x3fff; // strip NLA_F_NESTED / NET_BYTEORDER
      if (len < 4 || p + len > to) {
        break;
      }
      if (type < MAX) {
        offset[type] = p + 4;
        length[type] = len - 4;
      }
      p += (len + 3) & ~3;
    }
  }

  boolean has(int type) {
    return offset[type] != 0;
  }

  int u32(int type, int fallback) {
    return has(type) && length[type] >= 4 ? buf.getInt(offset[type]) : fallback;
  }

  int u8(int type, int fallback) {
    return has(type) && length[type] >= 1 ? buf.get(offset[type]) & 0xff : fallback;
  }

  int be16(int type, int fallback) {
    return has(type) && length[type] >= 2
        ? ((buf.get(offset[type]) & 0xff) << 8) | (buf.get(offset[type] + 1) & 0xff)
        : fallback;
  }

  byte[] bytes(int type) {
    if (!has(type)) {
      return null;
    }
    byte[] b = new byte[length[type]];
    buf.get(offset[type], b);
    return b;
  }

  String string(int type) {
    byte[] b = bytes(type);
    if (b == null) {
      return null;
    }
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  Attrs nested(int type) {
    return has(type) ? new Attrs(buf, offset[type], offset[type] + length[type]) : null;
  }

  static ByteBuffer nativeOrder(ByteBuffer b) {
    return b.order(ByteOrder.nativeOrder());
  }
}
