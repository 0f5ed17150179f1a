package io.jflannel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes netlink messages (header, fixed struct, attributes) into one growing direct buffer. */
final class MessageWriter {
  private ByteBuffer buf;

  MessageWriter(int capacity) {
    buf = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
  }

  void clear() {
    buf.clear();
  }

  int position() {
    return buf.position();
  }

  /** The written bytes, ready to send. */
  ByteBuffer flip() {
    ByteBuffer b = buf.duplicate().order(ByteOrder.nativeOrder());
    b.flip();
    return b;
  }

  private void ensure(int n) {
    if (buf.remaining() < n) {
      ByteBuffer bigger =
          ByteBuffer.allocateDirect(Math.max(buf.capacity() * 2, buf.position() + n))
              .order(ByteOrder.nativeOrder());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }

  /** Starts a message; returns its start offset for {@link #end}. */
  int begin(int type, int flags, int seq) {
    align();
    ensure(16);
    int start = buf.position();
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    return start;
  }

  void end(int start) {
    buf.putInt(start, buf.position() - start);
    align();
  }

  MessageWriter u8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  MessageWriter u16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  MessageWriter u32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  MessageWriter bytes(byte[] b) {
    ensure(b.length);
    buf.put(b);
    return this;
  }

  /** A link-level struct ifinfomsg. */
  MessageWriter ifinfomsg(int family, int index, int flags, int change) {
    return u8(family).u8(0).u16(0).u32(index).u32(flags).u32(change);
  }

  void attr(int type, byte[] value) {
    ensure(4 + value.length + 3);
    buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
    align();
  }

  void attrU32(int type, int v) {
    ensure(8);
    buf.putShort((short) 8).putShort((short) type).putInt(v);
  }

  void attrU8(int type, int v) {
    ensure(8);
    buf.putShort((short) 5).putShort((short) type).put((byte) v);
    align();
  }

  void attrBe16(int type, int v) {
    attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
  }

  void attrString(int type, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    attr(type, z);
  }

  int nest(int type) {
    ensure(4);
    int start = buf.position();
    buf.putShort((short) 0).putShort((short) type);
    return start;
  }

  void endNest(int start) {
    buf.putShort(start, (short) (buf.position() - start));
    align();
  }

  private void align() {
    int pad = (4 - (buf.position() & 3)) & 3;
    ensure(pad);
    for (int i = 0; i < pad; i++) {
      buf.put((byte) 0);
    }
  }
}
