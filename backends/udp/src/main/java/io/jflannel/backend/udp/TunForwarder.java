package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands what the {@link Encapsulator} makes of TUN packets to the UDP channel: a batch per drain of
 * the TUN queue, written and flushed in one event-loop task (one sendmmsg/GSO flush), with at most
 * {@link #MAX_IN_FLIGHT} batches queued so that a slow socket pushes back on the reader instead of
 * growing a queue.
 */
final class TunForwarder {
  static final int MAX_IN_FLIGHT = 2;
  private final Encapsulator encapsulator;
  private final Channel channel;
  private final Runnable onBatchDone;
  private final AtomicInteger inFlight = new AtomicInteger();
  private List<Object> batch = new ArrayList<>();

  TunForwarder(Encapsulator encapsulator, Channel channel, Runnable onBatchDone) {
    this.encapsulator = encapsulator;
    this.channel = channel;
    this.onBatchDone = onBatchDone;
  }

  /** Encapsulates one TUN packet (the caller keeps {@code packet}). */
  void forward(ByteBuf packet) {
    try {
      encapsulator.encapsulate(packet, batch::add);
    } catch (IllegalArgumentException e) {
      encapsulator.malformed();
    }
  }

  /** Sends what was forwarded since the last flush. */
  void flush() {
    if (batch.isEmpty()) {
      return;
    }
    List<Object> out = batch;
    batch = new ArrayList<>();
    inFlight.incrementAndGet();
    Runnable send =
        () -> {
          for (Object o : out) {
            channel.write(o, channel.voidPromise());
          }
          channel.flush();
          inFlight.decrementAndGet();
          onBatchDone.run();
        };
    if (channel.eventLoop().inEventLoop()) {
      send.run();
    } else {
      channel.eventLoop().execute(send);
    }
  }

  /** True when the reader may go on: few batches queued and the socket writable. */
  boolean mayRead() {
    return inFlight.get() < MAX_IN_FLIGHT && channel.isWritable();
  }
}
