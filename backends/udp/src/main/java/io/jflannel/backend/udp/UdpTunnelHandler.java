package io.jflannel.backend.udp;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive path, on the UDP channel's event loop: checks each datagram (sender is a peer's
 * PublicIP on our port, payload an IPv4 packet for our subnet), keeps the packets of one socket
 * read and, when the read completes, writes them to TUN through the {@link TcpCoalescer}. Anything
 * else is dropped and counted.
 */
final class UdpTunnelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(UdpTunnelHandler.class);
  private static final int MAX_PENDING = 128;

  private final TunSink tun;
  private final TcpCoalescer coalescer;
  private final Supplier<PeerTable> table;
  private final int port;
  private final UdpStats stats;
  private final Runnable onWritable;
  private final List<ByteBuf> pending = new ArrayList<>();
  private volatile Ipv4Net own;
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG, "udp tunnel");

  UdpTunnelHandler(
      TunSink tun,
      TcpCoalescer coalescer,
      Supplier<PeerTable> table,
      int port,
      UdpStats stats,
      Runnable onWritable) {
    this.tun = tun;
    this.coalescer = coalescer;
    this.table = table;
    this.port = port;
    this.stats = stats;
    this.onWritable = onWritable;
  }

  /** Our subnet: only packets for it are accepted (none before it is known). */
  void ownSubnet(Ipv4Net subnet) {
    this.own = subnet;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket dp)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      ByteBuf c = dp.content();
      InetSocketAddress from = dp.sender();
      if (from == null
          || from.getPort() != port
          || !table.get().isPeer(PeerTable.toInt(from.getAddress()))) {
        stats.drop(DropReason.UNKNOWN_SOURCE);
        return;
      }
      int off = c.readerIndex();
      if (!Ipv4Packet.isIpv4(c, off, c.readableBytes())) {
        stats.drop(DropReason.MALFORMED);
        return;
      }
      Ipv4Net subnet = own;
      int dst = Ipv4Packet.destination(c, off);
      if (subnet == null || !subnet.contains(new Ipv4Address(dst))) {
        stats.drop(DropReason.NOT_OUR_SUBNET);
        return;
      }
      int len = Ipv4Packet.totalLength(c, off);
      stats.rxPackets.increment();
      stats.rxBytes.add(len);
      pending.add(c.retainedSlice(off, len));
      if (pending.size() >= MAX_PENDING) {
        flushPending();
      }
    } finally {
      dp.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushPending();
    ctx.fireChannelReadComplete();
  }

  private void flushPending() {
    try {
      coalescer.writeAll(pending, tun);
    } finally {
      pending.forEach(ByteBuf::release);
      pending.clear();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    onWritable.run();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stats.drop(DropReason.SEND_FAILED);
    warning.warn(cause.toString());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    coalescer.release();
    ctx.fireChannelInactive();
  }
}
