package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** Clocks of {@link EventBench}: lease puts, the agent's log lines, its footprint. */
final class EventTimes {
  private EventTimes() {}

  /** Wall clock now in microseconds (the same clock as {@code ip -ts} and the agent's log). */
  static long nowMicros() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /**
   * Writes {@code count} leases from inside the etcd member's namespace, one put each, back to back
   * ({@link BurstPutter}); returns subnet to the time its put was sent, in microseconds.
   */
  static Map<String, Long> put(NetnsCluster c, String backend, int count, int round) {
    Cmd.Result r =
        Cmd.runIn(
            c.etcdNamespace(),
            300,
            "java",
            "-cp",
            System.getProperty("java.class.path"),
            BurstPutter.class.getName(),
            NetnsCluster.ETCD,
            c.etcdPrefix(),
            backend,
            Integer.toString(count),
            Integer.toString(round));
    Map<String, Long> sent = new LinkedHashMap<>();
    for (String l : r.out().split("\n")) {
      if (l.matches("10\\.244\\.\\d+\\.\\d+ \\d+")) {
        String[] f = l.split(" ");
        sent.put(f[0], Long.parseLong(f[1]));
      }
    }
    if (r.exit() != 0 || sent.size() != count) {
      throw new IllegalStateException(
          "lease puts failed (exit "
              + r.exit()
              + ", "
              + sent.size()
              + " of "
              + count
              + "): "
              + r.out().lines().limit(20).toList());
    }
    return sent;
  }

  /** Waits for a line containing {@code text} in the agent's log; fails with its tail if none. */
  static void awaitLog(Node n, String text, long ms) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(n.log()) && Files.readString(n.log()).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no '" + text + "' in the agent's log: " + n.tail());
  }

  /** When the agent logged the first line containing {@code text} (ms resolution), in micros. */
  static long logMicros(Node n, String text) throws IOException {
    for (String l : Files.readAllLines(n.log())) {
      if (l.contains(text) && l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")) {
        Instant t =
            LocalDate.now()
                .atTime(LocalTime.parse(l.substring(0, 12)))
                .atZone(ZoneId.systemDefault())
                .toInstant();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
      }
    }
    throw new IllegalStateException("no '" + text + "' in the agent's log: " + n.tail());
  }

  /** "RSS MiB / threads" of the node's agent process. */
  static String footprint(Node n) throws IOException {
    return String.format("%.0f MiB / %d", status(n, "VmRSS:") / 1024.0, status(n, "Threads:"));
  }

  /** A number from the agent's /proc status (VmRSS in kB). */
  static long status(Node n, String field) throws IOException {
    return status(n.agent().pid(), field);
  }

  /** A number from a process's /proc status (VmRSS in kB). */
  static long status(long pid, String field) throws IOException {
    return io.jflannel.testing.ProcStat.status(pid, field);
  }
}
