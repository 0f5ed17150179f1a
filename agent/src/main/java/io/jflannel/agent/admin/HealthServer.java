package io.jflannel.agent.admin;

import io.jflannel.agent.node.StatusSnapshot;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * /healthz, /readyz and /metrics on one listener, all read from the lifecycle's {@link
 * StatusSnapshot}. /healthz is 200 while the agent's loops run (also through an etcd outage, so an
 * outage never restarts every agent); /readyz is 200 once the node is programmed and no kernel
 * problem stands in the way. Both bodies name the state and what is degraded. Served by Netty on
 * the agent's {@link IoLoop}: no thread of its own.
 */
public final class HealthServer implements AutoCloseable {
  /** An answer: status code, body, content type. */
  record Reply(int code, String body, String type) {}

  private final Supplier<StatusSnapshot> status;
  private final Supplier<String> stalled;
  private final PrometheusRegistry registry;
  private final Channel channel;

  public HealthServer(
      String ip,
      int port,
      Supplier<StatusSnapshot> status,
      Supplier<String> stalled,
      PrometheusRegistry registry,
      EventLoopGroup group)
      throws IOException {
    this.status = status;
    this.stalled = stalled;
    this.registry = registry;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 16)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(8192))
                        .addLast(new Handler());
                  }
                });
    try {
      channel = b.bind(ip, port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + ip + ":" + port, e);
    } catch (Exception e) { // Netty throws the bind failure unchecked
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The answer for {@code path}, in the Prometheus text format. */
  Reply answer(String path) {
    return answer(path, null);
  }

  /**
   * The answer for {@code path}; {@code /metrics} in OpenMetrics when {@code accept} (the request's
   * Accept header, or null) asks for it, else in the Prometheus text format.
   */
  Reply answer(String path, String accept) {
    switch (path) {
      case "/healthz" -> {
        String why = stalled.get();
        return new Reply(
            why == null ? 200 : 503,
            (why == null ? "ok: " : "unhealthy: " + why + "; ") + describe(status.get()) + "\n",
            "text/plain; charset=utf-8");
      }
      case "/readyz" -> {
        StatusSnapshot s = status.get();
        String why = s.notReadyReason();
        return new Reply(
            why == null ? 200 : 503,
            (why == null ? "ready: " : "not ready: " + why + "; ") + describe(s) + "\n",
            "text/plain; charset=utf-8");
      }
      case "/metrics" -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter om = new OpenMetricsTextFormatWriter(false, false);
        boolean open = accept != null && om.accepts(accept);
        try {
          if (open) {
            om.write(out, registry.scrape());
          } else {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return new Reply(
            200,
            out.toString(StandardCharsets.UTF_8),
            open
                ? OpenMetricsTextFormatWriter.CONTENT_TYPE
                : PrometheusTextFormatWriter.CONTENT_TYPE);
      }
      default -> {
        return new Reply(404, "not found: " + path + "\n", "text/plain; charset=utf-8");
      }
    }
  }

  /** "state READY" or "state DEGRADED (etcd: unreachable for 20 s ...)". */
  static String describe(StatusSnapshot s) {
    String c = s.conditionsLine();
    return "state " + s.state() + (c.isEmpty() ? "" : " (" + c + ")");
  }

  /** One request, one answer; the connection stays open when the client asked for it. */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Reply r =
          answer(
              new QueryStringDecoder(req.uri()).path(), req.headers().get(HttpHeaderNames.ACCEPT));
      FullHttpResponse resp =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(r.code()),
              Unpooled.wrappedBuffer(r.body().getBytes(StandardCharsets.UTF_8)));
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.type());
      HttpUtil.setContentLength(resp, resp.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a broken client costs its own connection only
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
  }
}
