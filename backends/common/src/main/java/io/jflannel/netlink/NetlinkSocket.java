package io.jflannel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An AF_NETLINK/NETLINK_ROUTE socket: raw send and receive of message buffers. */
final class NetlinkSocket implements AutoCloseable {
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int NETLINK_ROUTE = 0;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_RCVTIMEO = 20;
  static final int SO_SNDBUFFORCE = 32;
  static final int SO_RCVBUFFORCE = 33;
  static final int SOL_NETLINK = 270;
  static final int NETLINK_EXT_ACK = 11;
  static final int NETLINK_GET_STRICT_CHK = 12;
  static final int EINTR = 4;
  static final int EAGAIN = 11;

  private final LibC libc = LibC.INSTANCE;
  private final int fd;
  private final int portId;
  private volatile boolean closed;

  /** Opens and binds a socket, subscribed to the multicast {@code groups} (0 for none). */
  NetlinkSocket(int groups, int bufferBytes) {
    int s = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (s < 0) {
      throw new NetlinkException("socket(AF_NETLINK, NETLINK_ROUTE)", LibC.errno());
    }
    fd = s;
    setInt(SOL_SOCKET, SO_SNDBUFFORCE, bufferBytes, SO_SNDBUF);
    setInt(SOL_SOCKET, SO_RCVBUFFORCE, bufferBytes, SO_RCVBUF);
    ByteBuffer addr = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
    addr.putShort(0, (short) AF_NETLINK).putInt(4, 0).putInt(8, groups);
    if (libc.bind(fd, addr, 12) < 0) {
      int e = LibC.errno();
      libc.close(fd);
      throw new NetlinkException(
          "bind(AF_NETLINK, groups=0x" + Integer.toHexString(groups) + ")", e);
    }
    int[] len = {12};
    libc.getsockname(fd, addr, len);
    portId = addr.getInt(4);
  }

  private void setInt(int level, int name, int value, int fallbackName) {
    int[] v = {value};
    if (libc.setsockopt(fd, level, name, v, 4) < 0) {
      libc.setsockopt(fd, level, fallbackName, v, 4); // without CAP_NET_ADMIN: capped by rmem_max
    }
  }

  /** Makes recv return EAGAIN after {@code millis} without data. */
  void receiveTimeout(int millis) {
    ByteBuffer tv = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    tv.putLong(0, millis / 1000).putLong(8, (millis % 1000) * 1000L);
    if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16) < 0) {
      throw new NetlinkException("setsockopt(SO_RCVTIMEO)", LibC.errno());
    }
  }

  int portId() {
    return portId;
  }

  /** Sends one buffer (from position to limit) of one or more messages. */
  void send(ByteBuffer buf, String what) {
    int len = buf.remaining();
    for (; ; ) {
      long n = libc.send(fd, buf, len, 0);
      if (n >= 0) {
        return;
      }
      int e = LibC.errno();
      if (e != EINTR) {
        throw new NetlinkException("send " + what, e);
      }
    }
  }

  /**
   * Receives one datagram into {@code buf} (cleared first); returns its length, or -1 on timeout.
   */
  int receive(ByteBuffer buf) {
    buf.clear();
    for (; ; ) {
      long n = libc.recv(fd, buf, buf.capacity(), 0);
      if (n >= 0) {
        buf.limit((int) n);
        return (int) n;
      }
      int e = LibC.errno();
      if (e == EAGAIN) {
        return -1;
      }
      if (e != EINTR) {
        if (closed) {
          return -1;
        }
        throw new NetlinkException("recv (netlink)", e);
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }
}
