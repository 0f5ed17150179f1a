package io.jflannel.agent.admin;

import io.jflannel.agent.node.DaemonThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one event loop for its own listeners (the admin gRPC socket, /healthz, /readyz and
 * /metrics): one thread, {@code jflannel-io}. The udp backend keeps its own loop (the data path
 * must not wait behind a scrape); jetcd's Vert.x loop is jetcd's.
 */
public final class IoLoop implements AutoCloseable {
  private final EpollEventLoopGroup group =
      new EpollEventLoopGroup(1, DaemonThreads.named("jflannel-io"));

  public EventLoopGroup group() {
    return group;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
