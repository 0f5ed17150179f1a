package io.jflannel.backend.udp;

import io.jflannel.netlink.FdWaiter;
import io.jflannel.netlink.NetlinkException;
import io.jflannel.netlink.TunDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TUN side of the transmit path: one thread that sleeps in poll(2) until the device has
 * packets, drains up to {@link #BURST} of them into a reused buffer, encapsulates them and hands
 * the batch to the event loop. No busy loop: it waits on the descriptor, or on a wakeup when the
 * socket pushes back.
 */
final class TunReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TunReader.class);
  static final int BURST = 64;

  private final TunDevice tun;
  private final TunForwarder forwarder;
  private final UdpStats stats;
  private final FdWaiter waiter;
  private final ByteBuf buf;
  private final Thread thread;
  private volatile boolean running = true;

  TunReader(TunDevice tun, TunForwarder forwarder, UdpStats stats, ByteBufAllocator alloc) {
    this.tun = tun;
    this.forwarder = forwarder;
    this.stats = stats;
    this.waiter = new FdWaiter(tun.fd());
    this.buf = alloc.directBuffer(VnetHeader.LEN + 65_536);
    this.thread = new Thread(this::run, "jflannel-udp-tun");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Wakes the reader (the socket became writable, a batch was sent). Any thread. */
  void wakeup() {
    waiter.wakeup();
  }

  private void run() {
    long lastError = 0;
    while (running) {
      try {
        if (!forwarder.mayRead()) {
          waiter.await(false, 10);
          continue;
        }
        if (!waiter.await(true, 1000)) {
          continue;
        }
        for (int i = 0; i < BURST && running; i++) {
          buf.clear();
          int n = tun.read(buf.memoryAddress(), buf.capacity());
          if (n == 0) {
            break;
          }
          stats.tunReads.increment();
          buf.writerIndex(n);
          forwarder.forward(buf);
        }
        forwarder.flush();
      } catch (NetlinkException | java.util.concurrent.RejectedExecutionException e) {
        if (!running) {
          break;
        }
        long now = System.nanoTime();
        if (now - lastError > 10_000_000_000L) {
          lastError = now;
          LOG.warn("reading {}: {}", tun.name(), e.getMessage());
        }
        sleepQuietly();
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    waiter.wakeup();
    try {
      thread.join(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      waiter.close();
      buf.release();
    }
  }
}
