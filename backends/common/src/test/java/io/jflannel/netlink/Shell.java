package io.jflannel.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs observer commands (ip, bridge) in the test's namespace; fails with their output. */
final class Shell {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Shell() {}

  record Result(int exit, String out, String err) {}

  static Result run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      return new Result(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed; returns stdout. */
  static String ok(String... cmd) {
    Result r = run(List.of(cmd));
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " exited " + r.exit() + ": " + r.err());
    }
    return r.out();
  }

  /** Runs {@code ip -j ...} or {@code bridge -j ...} and parses the JSON. */
  static JsonNode json(String... cmd) {
    String out = ok(cmd);
    try {
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON from " + String.join(" ", cmd) + ": " + out, e);
    }
  }

  /** Fails unless the JVM runs in a namespace of its own (the netns-jdk wrapper). */
  static void requireOwnNamespace() {
    String links = ok("ip", "-o", "link", "show");
    long count = links.lines().count();
    if (count != 1 || !links.contains("lo:")) {
      throw new IllegalStateException(
          "netns tests must run in a fresh network namespace (tests/netns-jdk/bin/java); found links:\n"
              + links);
    }
  }
}
