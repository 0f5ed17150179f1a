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

/** /healthz, /readyz and /metrics on one listener. */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(
      String ip,
      int port,
      Supplier<String> healthy,
      Supplier<String> notReadyReason,
      PrometheusRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(ip, port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("jflannel-http")));
    server.createContext(
        "/healthz",
        ex -> {
          String why = healthy.get();
          reply(ex, why == null ? 200 : 503, why == null ? "ok\n" : why + "\n", "text/plain");
        });
    server.createContext(
        "/readyz",
        ex -> {
          String why = notReadyReason.get();
          reply(
              ex,
              why == null ? 200 : 503,
              why == null ? "ready\n" : "not ready: " + why + "\n",
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
