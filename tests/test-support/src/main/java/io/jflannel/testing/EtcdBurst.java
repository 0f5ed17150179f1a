package io.jflannel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Many etcd puts sent back to back as separate requests (what nodes booting at once look like, not
 * one transaction), from inside a namespace: one curl process, one kept-alive connection to etcd's
 * JSON gateway ({@code /v3/kv/put}), one request per key.
 */
public final class EtcdBurst {
  private EtcdBurst() {}

  /** Starts the puts of {@code kv} (key to value) from namespace {@code ns}; returns curl. */
  public static Process start(String ns, String endpoint, Map<String, String> kv) {
    try {
      Path cfg = Files.createTempFile("jflannel-burst", ".curl");
      cfg.toFile().deleteOnExit();
      StringBuilder b = new StringBuilder();
      Base64.Encoder enc = Base64.getEncoder();
      boolean first = true;
      for (var e : kv.entrySet()) {
        if (!first) {
          b.append("next\n");
        }
        first = false;
        String body =
            "{\"key\":\""
                + enc.encodeToString(e.getKey().getBytes(StandardCharsets.UTF_8))
                + "\",\"value\":\""
                + enc.encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8))
                + "\"}";
        b.append("url = \"").append(endpoint).append("/v3/kv/put\"\n");
        b.append("data = \"").append(body.replace("\"", "\\\"")).append("\"\n");
        b.append("silent\noutput = \"/dev/null\"\n");
      }
      Files.writeString(cfg, b.toString());
      return new ProcessBuilder("ip", "netns", "exec", ns, "curl", "-K", cfg.toString())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the etcd burst: " + e.getMessage(), e);
    }
  }

  /** Runs the puts and waits for them. */
  public static void run(String ns, String endpoint, Map<String, String> kv) {
    Process p = start(ns, endpoint, kv);
    try {
      if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "etcd burst failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
