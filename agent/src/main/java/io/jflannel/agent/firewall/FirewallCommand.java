package io.jflannel.agent.firewall;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the firewall tools ({@code iptables-restore}, {@code nft -f -}): the only commands the agent
 * runs, since neither iptables nor nftables rules have a netlink API the agent speaks. Every run is
 * bounded: stdin, stdout and stderr are served concurrently (a child filling one pipe cannot stall
 * the other), the child is killed at {@link #TIMEOUT}, and {@link #stopAll} (SIGTERM) kills any
 * that runs, so a tool stuck on a lock never holds the agent. Errors carry the command line, its
 * exit code and its stderr.
 */
public final class FirewallCommand {
  /** How long a tool may run before it is killed. */
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** iptables' wait for the xtables lock ({@code -w SECONDS}), well inside {@link #TIMEOUT}. */
  static final int LOCK_WAIT_SECONDS = 5;

  private static final ExecutorService IO =
      Executors.newCachedThreadPool(new DefaultThreadFactory("jflannel-exec-io", true));
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean stopping;

  private FirewallCommand() {}

  /** Exit code and output of a command that may fail. */
  record Result(int exit, String out) {}

  /** Runs {@code cmd}; a non-zero exit is returned, not thrown (a missing binary still throws). */
  static Result tryRun(List<String> cmd) {
    try {
      return new Result(0, run(cmd, null));
    } catch (ExitException e) {
      return new Result(e.exit, e.getMessage());
    }
  }

  /**
   * {@link #tryRun} of a tool the host may lack: empty when it cannot be run at all; a run killed
   * at its bound or at SIGTERM still throws.
   */
  static java.util.Optional<Result> tryRunIfInstalled(List<String> cmd) {
    try {
      return java.util.Optional.of(tryRun(cmd));
    } catch (StuckException e) {
      throw e;
    } catch (IllegalStateException e) {
      return java.util.Optional.empty();
    }
  }

  /** A command that exited non-zero. */
  public static final class ExitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    final int exit;

    public ExitException(String message, int exit) {
      super(message);
      this.exit = exit;
    }
  }

  /** A command that did not finish in time and was killed, or was killed at SIGTERM. */
  public static final class StuckException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StuckException(String message) {
      super(message);
    }
  }

  static String run(List<String> cmd, String stdin) {
    return run(cmd, stdin, TIMEOUT);
  }

  /** Runs {@code cmd} with {@code stdin} (or none); its stdout, or an exception saying why not. */
  static String run(List<String> cmd, String stdin, Duration timeout) {
    String line = String.join(" ", cmd);
    if (stopping) {
      throw new StuckException(line + ": not run, the agent is stopping");
    }
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + line + ": " + e.getMessage(), e);
    }
    LIVE.add(p);
    try {
      Future<?> in = IO.submit(() -> feed(p.getOutputStream(), stdin));
      Future<byte[]> out = IO.submit(() -> drain(p.getInputStream()));
      Future<byte[]> err = IO.submit(() -> drain(p.getErrorStream()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
        if (stopping || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new StuckException(
              line
                  + (stopping
                      ? ": killed, the agent is stopping"
                      : " did not finish within " + timeout.toSeconds() + " s: killed"));
        }
      }
      if (stopping) { // killed by stopAll while it ran
        throw new StuckException(line + ": killed, the agent is stopping");
      }
      in.cancel(true);
      String stdout = new String(out.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      String stderr = new String(err.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new ExitException(
            line + " exited " + p.exitValue() + ": " + stderr.strip(), p.exitValue());
      }
      return stdout;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new StuckException("interrupted running " + line);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException(line + ": reading its output failed: " + e, e);
    } finally {
      LIVE.remove(p);
    }
  }

  private static Void feed(OutputStream o, String stdin) throws IOException {
    try (o) {
      if (stdin != null) {
        o.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the child exited without reading all of it: its exit code and stderr say why
    }
    return null;
  }

  private static byte[] drain(InputStream s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (s) {
      s.transferTo(b);
    }
    return b.toByteArray();
  }

  /** Runs tools again after {@link #stopAll} (tests, which stop agents in one JVM). */
  static void resume() {
    stopping = false;
  }

  /** SIGTERM: kills every tool that runs now and runs none from here on. */
  public static void stopAll() {
    stopping = true;
    for (Process p : LIVE) {
      p.destroyForcibly();
    }
  }
}
