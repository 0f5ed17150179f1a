package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ping at 50 packets per second from a namespace for as long as a disruption lasts
 * (docs/architecture.md, "Tests": a 1/s ping proves nothing), stopped with SIGINT so that ping
 * prints its statistics. Each lost packet is a timestamped "no answer" line ({@code -D -O}), so
 * losses can be placed in time.
 */
public final class Pinger implements AutoCloseable {
  private static final Pattern STATS =
      Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
  private static final Pattern MISSED =
      Pattern.compile("\\[(\\d+\\.\\d+)\\] no answer yet for icmp_seq=(\\d+)");

  private static final java.util.Set<Pinger> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Process p;
  private final Path out;
  private final String what;

  /** What ping counted, and when each lost packet was sent (unix seconds). */
  public record Result(int sent, int received, List<Double> lostAt, String what) {
    public int lost() {
      return sent - received;
    }

    @Override
    public String toString() {
      return what + ": " + sent + " sent, " + received + " received";
    }
  }

  private Pinger(Process p, Path out, String what) {
    this.p = p;
    this.out = out;
    this.what = what;
    LIVE.add(this);
  }

  /** Stops every pinger not stopped yet (a test that failed before it did): from cleanups. */
  static void closeAll() {
    for (Pinger x : List.copyOf(LIVE)) {
      x.close();
    }
  }

  /** Starts pinging {@code ip} from namespace {@code ns}, 50 per second. */
  public static Pinger start(String ns, String ip) {
    return start(List.of("ip", "netns", "exec", ns), ns, ip);
  }

  /** The same from the network namespace of a process (a container's init). */
  public static Pinger fromProcess(long pid, String ip) {
    return start(List.of("nsenter", "-t", Long.toString(pid), "-n"), "pid " + pid, ip);
  }

  private static Pinger start(List<String> enter, String from, String ip) {
    try {
      Path out = Files.createTempFile("jflannel-ping", ".out");
      List<String> cmd = new java.util.ArrayList<>(enter);
      cmd.addAll(List.of("ping", "-D", "-O", "-i", "0.02", "-W", "1", ip));
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      return new Pinger(p, out, from + " -> " + ip);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start ping: " + e.getMessage(), e);
    }
  }

  /** Stops (SIGINT) and returns what ping counted. */
  public Result stop() {
    try {
      if (p.isAlive()) {
        Cmd.ok("kill", "-INT", Long.toString(p.pid())); // ip netns exec and nsenter exec ping
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
      String text = Files.readString(out);
      Matcher m = STATS.matcher(text);
      if (!m.find()) {
        throw new IllegalStateException("ping printed no statistics: " + text.strip());
      }
      List<Double> lost =
          MISSED.matcher(text).results().map(r -> Double.parseDouble(r.group(1))).toList();
      return new Result(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), lost, what);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read ping output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    LIVE.remove(this);
    if (p.isAlive()) {
      p.destroyForcibly();
    }
    try {
      Files.deleteIfExists(out);
    } catch (IOException e) {
      // a temp file
    }
  }
}
