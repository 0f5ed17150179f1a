package io.jflannel.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the firewall tools ({@code iptables-restore}, {@code nft -f -}): the only commands the agent
 * runs, since neither iptables nor nftables rules have a netlink API the agent speaks. Errors carry
 * the command line, its exit code and its stderr.
 */
final class FirewallCommand {
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

  /** A command that exited non-zero. */
  static final class ExitException extends IllegalStateException {
    final int exit;

    ExitException(String message, int exit) {
      super(message);
      this.exit = exit;
    }
  }

  static String run(List<String> cmd, String stdin) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new ExitException(
            String.join(" ", cmd) + " exited " + p.exitValue() + ": " + err.strip(), p.exitValue());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
