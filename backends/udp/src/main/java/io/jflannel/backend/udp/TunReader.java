package io.jflannel.backend.udp;

import io.jflannel.netlink.LibC;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;

/**
 * A TUN device's descriptor on Netty's epoll event loop, through Netty 4.2's public {@link
 * EpollIoHandle} API: a handle registered with the loop beside the UDP socket, so one thread serves
 * both and nothing busy-polls. It holds its own duplicate of the descriptor (closing it closes the
 * duplicate only). Inbound only and level-triggered: each wakeup reads up to {@link #BURST} packets
 * with read(2), each handed to the {@link Sink} in a {@link ByteBuf} the sink releases, then the
 * burst's end. Packets to the device are written synchronously by the descriptor's owner, never
 * queued here. All calls on the event loop.
 */
final class TunReader implements EpollIoHandle {
  /** Packets read per wakeup at most (Netty's own maxMessagesPerRead default is 16). */
  static final int BURST = 64;

  private static final int F_DUPFD_CLOEXEC = 1030;

  /** Where the packets go. */
  interface Sink {
    /** One packet read from the device; the sink releases it. */
    void packet(ByteBuf packet);

    /** A wakeup's packets are all handed over (flush what they made). */
    void burstEnd();

    /** Reading failed: the device is gone or broken. */
    void failed(Throwable cause);
  }

  private final FileDescriptor fd;
  private final int maxPacket;
  private final ByteBufAllocator alloc;
  private final Sink sink;
  private IoRegistration registration;
  private boolean reading;
  private volatile boolean closed;

  private TunReader(FileDescriptor fd, int maxPacket, ByteBufAllocator alloc, Sink sink) {
    this.fd = fd;
    this.maxPacket = maxPacket;
    this.alloc = alloc;
    this.sink = sink;
  }

  /**
   * A reader of a duplicate of {@code tunFd} (non-blocking) on {@code loop}, not reading yet.
   * Blocks until registered.
   *
   * @throws IllegalStateException with the errno or Netty's reason when it cannot be
   */
  static TunReader register(
      IoEventLoop loop, int tunFd, int maxPacket, ByteBufAllocator alloc, Sink sink) {
    int dup = LibC.INSTANCE.fcntl(tunFd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) {
      throw new IllegalStateException(
          "fcntl(F_DUPFD_CLOEXEC) of TUN descriptor " + tunFd + ": errno " + LibC.errno());
    }
    TunReader r = new TunReader(new FileDescriptor(dup), maxPacket, alloc, sink);
    io.netty.util.concurrent.Future<IoRegistration> f = loop.register(r).syncUninterruptibly();
    if (!f.isSuccess()) {
      r.closeQuietly();
      throw new IllegalStateException("registering the TUN descriptor: " + f.cause(), f.cause());
    }
    r.registration = f.getNow();
    return r;
  }

  @Override
  public FileDescriptor fd() {
    return fd;
  }

  /** Reads (EPOLLIN) or stops reading, until told otherwise. */
  void reading(boolean on) {
    if (closed || on == reading || registration == null || !registration.isValid()) {
      return;
    }
    reading = on;
    registration.submit(on ? EpollIoOps.EPOLLIN : EpollIoOps.NONE);
  }

  boolean reading() {
    return reading;
  }

  @Override
  public void handle(IoRegistration reg, IoEvent event) {
    EpollIoOps ops = ((EpollIoEvent) event).ops();
    // an error (the device deleted under us) is reported whatever we asked for: read to surface it
    boolean error = ops.contains(EpollIoOps.EPOLLERR) || ops.contains(EpollIoOps.EPOLLRDHUP);
    if (closed || !(error || (reading && ops.contains(EpollIoOps.EPOLLIN)))) {
      return;
    }
    Throwable failure = null;
    try {
      for (int i = 0; i < BURST && (reading || error); i++) {
        ByteBuf buf = alloc.directBuffer(maxPacket, maxPacket);
        int n;
        try {
          n = fd.readAddress(buf.memoryAddress(), 0, buf.capacity());
        } catch (IOException | RuntimeException e) {
          buf.release();
          throw e;
        }
        if (n <= 0) { // 0: EAGAIN, nothing more now; -1: end of file
          buf.release();
          if (n < 0 || error) {
            throw new IOException("the TUN descriptor reports " + (n < 0 ? "end of file" : ops));
          }
          break;
        }
        buf.writerIndex(n);
        sink.packet(buf);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    sink.burstEnd();
    if (failure != null) {
      reading = false;
      reg.cancel(); // no more events from a broken descriptor: the owner re-creates the device
      sink.failed(failure);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (registration != null) {
        try {
          registration.cancel();
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // the loop is gone already: nothing is registered any more
        }
      }
      closeQuietly();
    }
  }

  private void closeQuietly() {
    try {
      fd.close();
    } catch (IOException e) {
      // a duplicate of a descriptor the TUN device's owner closes anyway
    }
  }
}
