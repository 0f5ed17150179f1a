package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmit path, on the TUN channel's pipeline (the same event loop as the UDP channel): each
 * packet read from TUN is encapsulated into datagrams written to the UDP channel, flushed once per
 * burst (one sendmmsg / UDP GSO flush). When the socket stops being writable the TUN channel stops
 * reading until it drains ({@link #resume}), so the kernel queues and pushes back instead of us
 * growing a buffer.
 */
final class TunToUdpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(TunToUdpHandler.class);
  private final Encapsulator encapsulator;
  private final Channel udp;
  private final UdpStats stats;
  private final Consumer<Throwable> onReadFailure;
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG, "reading the TUN device");

  TunToUdpHandler(
      Encapsulator encapsulator, Channel udp, UdpStats stats, Consumer<Throwable> onReadFailure) {
    this.encapsulator = encapsulator;
    this.udp = udp;
    this.stats = stats;
    this.onReadFailure = onReadFailure;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf packet = (ByteBuf) msg;
    try {
      stats.tunReads.increment();
      encapsulator.encapsulate(packet, d -> udp.write(d, udp.voidPromise()));
    } catch (IllegalArgumentException e) {
      encapsulator.malformed();
    } finally {
      packet.release();
    }
    if (!udp.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    udp.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stats.drop(DropReason.TUN_READ_FAILED);
    if (cause instanceof IOException) {
      onReadFailure.accept(cause); // the device is gone: reading again would only fail again
    } else {
      warning.warn(cause.toString());
    }
  }

  /** Reading resumes once the UDP channel is writable again (call on the event loop). */
  static void resume(Channel tun, Channel udp) {
    if (tun != null && udp.isWritable() && !tun.config().isAutoRead()) {
      tun.config().setAutoRead(true);
    }
  }
}
