package io.jflannel.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * /healthz, /readyz and /metrics on one listener, all read from the lifecycle's {@link
 * StatusSnapshot}. /healthz is 200 while the agent's loops run (also through an etcd outage, so an
 * outage never restarts every agent); /readyz is 200 once the node is programmed and no kernel
 * problem stands in the way. Both bodies name the state and what is degraded.
 */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(
      String ip,
      int port,
      Supplier<StatusSnapshot> status,
      Supplier<String> stalled,
      PrometheusRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(ip, port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("jflannel-http")));
    server.createContext(
        "/healthz",
        ex -> {
          String why = stalled.get();
          StatusSnapshot s = status.get();
          reply(
              ex,
              why == null ? 200 : 503,
              (why == null ? "ok: " : "unhealthy: " + why + "; ") + describe(s) + "\n",
              "text/plain");
        });
    server.createContext(
        "/readyz",
        ex -> {
          StatusSnapshot s = status.get();
          String why = s.notReadyReason();
          reply(
              ex,
              why == null ? 200 : 503,
              (why == null ? "ready: " : "not ready: " + why + "; ") + describe(s) + "\n",
              "text/plain");
        });
    server.createContext(
        "/metrics",
        ex -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          new PrometheusTextFormatWriter(false).write(out, registry.scrape());
          reply(
              ex,
              200,
              out.toString(StandardCharsets.UTF_8),
              PrometheusTextFormatWriter.CONTENT_TYPE);
        });
    server.start();
  }

  /** "state READY" or "state DEGRADED (etcd: unreachable for 20 s ...)". */
  static String describe(StatusSnapshot s) {
    String c = s.conditionsLine();
    return "state " + s.state() + (c.isEmpty() ? "" : " (" + c + ")");
  }

  private static void reply(HttpExchange ex, int code, String body, String type)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
