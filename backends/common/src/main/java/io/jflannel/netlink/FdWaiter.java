package io.jflannel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Blocks a thread until a file descriptor is readable or another thread calls {@link #wakeup()}:
 * poll(2) over the descriptor and an eventfd. What a dedicated reader thread needs instead of a
 * busy loop.
 */
public final class FdWaiter implements AutoCloseable {
  private static final int EFD_NONBLOCK = 0x800;
  private static final int EFD_CLOEXEC = 0x80000;
  private static final short POLLIN = 0x1;

  private final LibC libc = LibC.INSTANCE;
  private final int fd;
  private final int eventFd;
  private final ByteBuffer fds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
  private final ByteBuffer counter = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
  private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

  /** Waits on {@code fd} (not owned: not closed by {@link #close()}). */
  public FdWaiter(int fd) {
    this.fd = fd;
    this.eventFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (eventFd < 0) {
      throw new NetlinkException("eventfd", LibC.errno());
    }
    one.putLong(0, 1);
  }

  /**
   * Waits until the descriptor is readable (when {@code forData}), a wakeup arrives, or {@code
   * timeoutMillis} pass. Returns true when the descriptor is readable.
   */
  public boolean await(boolean forData, int timeoutMillis) {
    fds.putInt(0, forData ? fd : -1).putShort(4, POLLIN).putShort(6, (short) 0);
    fds.putInt(8, eventFd).putShort(12, POLLIN).putShort(14, (short) 0);
    int n = libc.poll(fds, 2, timeoutMillis);
    if (n < 0) {
      int e = LibC.errno();
      if (e == NetlinkSocket.EINTR) {
        return false;
      }
      throw new NetlinkException("poll fd " + fd, e);
    }
    if (fds.getShort(14) != 0) {
      libc.read(eventFd, counter, 8); // reset the counter
    }
    return forData && fds.getShort(6) != 0;
  }

  /** Makes a waiting (or the next) {@link #await} return. Any thread. */
  public void wakeup() {
    libc.write(eventFd, one, 8);
  }

  @Override
  public void close() {
    libc.close(eventFd);
  }
}
