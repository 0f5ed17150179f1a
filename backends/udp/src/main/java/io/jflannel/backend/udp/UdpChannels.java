package io.jflannel.backend.udp;

import io.jflannel.net.Ipv4Address;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;

/** Binds the tunnel's UDP socket with Netty's epoll transport. */
final class UdpChannels {
  /** Largest datagram taken per recvmmsg slot without GRO (any sane underlay MTU fits). */
  static final int DATAGRAM = 9216;

  private UdpChannels() {}

  /**
   * Binds {@code address:port}. With {@code offloads}: UDP_GRO, so one read returns up to 64 KB of
   * same-flow datagrams; else recvmmsg of up to 8 datagrams per call.
   */
  static Channel bind(
      EventLoopGroup group,
      ChannelHandler handler,
      Ipv4Address address,
      int port,
      boolean offloads) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(EpollDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .option(ChannelOption.SO_SNDBUF, 4 << 20)
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
            .handler(handler);
    if (offloads) {
      b.option(EpollChannelOption.UDP_GRO, true)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536));
    } else {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM * 8));
    }
    ChannelFuture f = b.bind(address.toInetAddress(), port).awaitUninterruptibly();
    if (!f.isSuccess()) {
      group.shutdownGracefully();
      throw new IllegalStateException(
          "cannot bind UDP " + address + ":" + port + ": " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }
}
