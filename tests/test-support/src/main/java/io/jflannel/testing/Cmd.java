package io.jflannel.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs fixture commands with a deadline; failures carry the command and its output. */
public final class Cmd {
  private Cmd() {}

  /** Exit code and output of a finished command. */
  public record Result(int exit, String out) {}

  /** Runs a command, returns its exit code and combined output. */
  public static Result run(List<String> cmd, int timeoutSeconds) {
    try {
      File out = File.createTempFile("jflannel-cmd", ".out");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
          throw new IllegalStateException(
              "timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
        }
        return new Result(
            p.exitValue(), java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8));
      } finally {
        out.delete();
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  /** Stops a process we started: SIGTERM (or SIGKILL with {@code kill}), SIGKILL after 10 s. */
  public static void stop(Process p, boolean kill) {
    if (p == null || !p.isAlive()) {
      return;
    }
    if (kill) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a command that must succeed; returns its output. */
  public static String ok(String... cmd) {
    Result r = run(List.of(cmd), 60);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out().strip());
    }
    return r.out();
  }

  /** Runs a command in a named network namespace; must succeed. */
  public static String in(String ns, String... cmd) {
    return ok(inNamespace(ns, cmd).toArray(String[]::new));
  }

  /** Runs a command in a named network namespace; its exit code and output, whatever they are. */
  public static Result runIn(String ns, int timeoutSeconds, String... cmd) {
    return run(inNamespace(ns, cmd), timeoutSeconds);
  }

  private static List<String> inNamespace(String ns, String... cmd) {
    List<String> all = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
    all.addAll(List.of(cmd));
    return all;
  }
}
