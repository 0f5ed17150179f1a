package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmit path, on the event loop the TUN reader and the UDP channel share: each packet read
 * from TUN is encapsulated into datagrams written to the UDP channel, flushed once per burst (one
 * sendmmsg / UDP GSO flush). When the socket stops being writable the TUN reader stops reading
 * until it drains ({@link #resume}), so the kernel queues and pushes back instead of us growing a
 * buffer.
 */
final class TunToUdpHandler implements TunReader.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(TunToUdpHandler.class);
  private final Encapsulator encapsulator;
  private final Channel udp;
  private final UdpStats stats;
  private final Consumer<Throwable> onReadFailure;
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG, "reading the TUN device");
  private TunReader reader;

  TunToUdpHandler(
      Encapsulator encapsulator, Channel udp, UdpStats stats, Consumer<Throwable> onReadFailure) {
    this.encapsulator = encapsulator;
    this.udp = udp;
    this.stats = stats;
    this.onReadFailure = onReadFailure;
  }

  /** The reader this handler serves (it stops it while the socket is full). */
  void reader(TunReader r) {
    this.reader = r;
  }

  @Override
  public void packet(ByteBuf packet) {
    try {
      stats.tunReads.increment();
      encapsulator.encapsulate(packet, d -> udp.write(d, udp.voidPromise()));
    } catch (IllegalArgumentException e) {
      encapsulator.malformed();
    } finally {
      packet.release();
    }
    if (!udp.isWritable() && reader != null) {
      reader.reading(false);
    }
  }

  @Override
  public void burstEnd() {
    udp.flush();
  }

  @Override
  public void failed(Throwable cause) {
    stats.drop(DropReason.TUN_READ_FAILED);
    if (cause instanceof IOException) {
      onReadFailure.accept(cause); // the device is gone: reading again would only fail again
    } else {
      warning.warn(cause.toString());
    }
  }

  /** Reading resumes once the UDP channel is writable again (call on the event loop). */
  static void resume(TunReader tun, Channel udp, BooleanSupplier wanted) {
    if (tun != null && udp.isWritable() && !tun.reading() && wanted.getAsBoolean()) {
      tun.reading(true);
    }
  }
}
