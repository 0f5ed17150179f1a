package io.jflannel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's own account of when routes appeared: {@code ip -ts monitor route} in a node's
 * namespace, written to a file and read back. A route's time is that of its first RTM_NEWROUTE.
 */
final class RouteMonitor implements AutoCloseable {
  private final Process process;
  private final Path out;

  private RouteMonitor(Process process, Path out) {
    this.process = process;
    this.out = out;
  }

  /** Starts monitoring routes in {@code ns}; returns once the monitor runs. */
  static RouteMonitor start(String ns) throws IOException, InterruptedException {
    Path out = Files.createTempFile("jflannel-routes", ".log");
    Process p =
        new ProcessBuilder("ip", "netns", "exec", ns, "ip", "-ts", "monitor", "route")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    Thread.sleep(300); // the netlink socket subscribes right after exec
    if (!p.isAlive()) {
      throw new IllegalStateException("ip monitor route exited: " + Files.readString(out));
    }
    return new RouteMonitor(p, out);
  }

  /**
   * Waits until a route for each of {@code subnets} (network addresses) appeared or {@code ms}
   * passed; returns subnet to first-seen time in microseconds (missing ones were never seen).
   */
  Map<String, Long> await(Collection<String> subnets, long ms)
      throws IOException, InterruptedException {
    Set<String> want = new HashSet<>(subnets);
    Map<String, Long> seen = new HashMap<>();
    long deadline = System.currentTimeMillis() + ms;
    long read = 0;
    StringBuilder partial = new StringBuilder();
    while (seen.size() < want.size() && System.currentTimeMillis() < deadline) {
      byte[] all = Files.readAllBytes(out);
      if (all.length > read) {
        partial.append(new String(all, (int) read, (int) (all.length - read)));
        read = all.length;
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          parse(partial.substring(0, nl), want, seen);
          partial.delete(0, nl + 1);
        }
      } else {
        Thread.sleep(20);
      }
    }
    return seen;
  }

  /** "[2026-11-27T18:45:28.123456] 10.244.1.0/29 via ..." → seen, unless a deletion. */
  private static void parse(String line, Set<String> want, Map<String, Long> seen) {
    if (!line.startsWith("[") || line.length() < 30) {
      return;
    }
    String[] f = line.substring(line.indexOf(']') + 2).split(" ");
    if (f[0].equals("Deleted") || f[0].indexOf('/') < 0) {
      return;
    }
    String subnet = f[0].substring(0, f[0].indexOf('/'));
    if (want.contains(subnet) && !seen.containsKey(subnet)) {
      var t = LocalDateTime.parse(line.substring(1, line.indexOf(']')));
      var i = t.atZone(ZoneId.systemDefault()).toInstant();
      seen.put(subnet, i.getEpochSecond() * 1_000_000L + i.getNano() / 1000);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(out);
  }
}
