package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks and figures of {@link FaultSoak}: settling, loss attribution, footprint, the report. */
final class Soak {
  private Soak() {}

  /**
   * Waits until every node says READY and its diff is clean; returns how long that took (ms).
   *
   * @throws IllegalStateException when that does not happen within {@code limitMs}
   */
  static long awaitSettled(NetnsCluster c, long limitMs) throws InterruptedException {
    long t0 = System.currentTimeMillis();
    while (true) {
      boolean all = true;
      for (Node n : c.nodes()) { // /readyz names the state: cheaper than a jflanctl JVM per check
        String ready =
            Cmd.run(
                    List.of(
                        "ip",
                        "netns",
                        "exec",
                        n.ns(),
                        "curl",
                        "-s",
                        "http://127.0.0.1:8471/readyz"),
                    5)
                .out();
        if (!ready.startsWith("ready: state READY")) {
          all = false;
          break;
        }
      }
      for (int i = 0; all && i < c.nodes().size(); i++) {
        all = c.nodes().get(i).jflanctl("diff").exit() == 0;
      }
      long took = System.currentTimeMillis() - t0;
      if (all) {
        return took;
      }
      if (took > limitMs) {
        StringBuilder b = new StringBuilder("cluster did not settle within " + limitMs + " ms:\n");
        for (Node n : c.nodes()) {
          b.append(n.ns())
              .append(":\n")
              .append(n.jflanctl("status").out())
              .append(n.tail())
              .append('\n');
        }
        throw new IllegalStateException(b.toString());
      }
      Thread.sleep(250);
    }
  }

  /**
   * The fault that explains a lost packet (one on the pair's own nodes around then: its device
   * deleted, its agent restarted), or null.
   */
  static String cause(List<FaultSoak.Fault> faults, int[] pair, long atMs) {
    for (FaultSoak.Fault f : faults) {
      boolean ownNode = f.node() == pair[0] || f.node() == pair[1];
      if (ownNode && atMs >= f.startMs() - 1000 && atMs <= f.endMs() + 2000) {
        return f.what();
      }
    }
    return null;
  }

  /** Per node: {RSS kB, threads} of its current agent process. */
  static long[][] footprints(NetnsCluster c) throws java.io.IOException {
    long[][] out = new long[c.nodes().size()][2];
    for (int i = 0; i < out.length; i++) {
      long pid = c.nodes().get(i).agent().pid();
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          out[i][0] = Long.parseLong(l.replaceAll("\\D", ""));
        } else if (l.startsWith("Threads:")) {
          out[i][1] = Long.parseLong(l.replaceAll("\\D", ""));
        }
      }
    }
    return out;
  }

  /** Prints the table; returns false when an agent never restarted grew (RSS > 15 %, threads). */
  static boolean report(
      List<FaultSoak.Fault> faults,
      long worstSettleMs,
      int sent,
      int lost,
      int unexplained,
      boolean[] restarted,
      long[][] start,
      long[][] end) {
    System.out.println();
    System.out.printf("%-34s %s%n", "faults injected", faults.size());
    for (String kind : List.of("etcd leader", "etcd member", "agent", "flannel.1")) {
      long n = faults.stream().filter(f -> f.what().startsWith(kind)).count();
      System.out.printf("  %-32s %d%n", kind, n);
    }
    System.out.printf(
        "%-34s %d (slowest settle %d ms)%n", "faults repaired", faults.size(), worstSettleMs);
    System.out.printf(
        "%-34s %d sent, %d lost, %d not explained by a fault on the pair's own nodes%n",
        "pings (12 pairs, 50/s)", sent, lost, unexplained);
    boolean flat = true;
    System.out.printf(
        "%-6s %-12s %-12s %-10s %-10s %s%n",
        "node", "RSS start", "RSS end", "threads", "threads", "restarted");
    for (int i = 0; i < start.length; i++) {
      System.out.printf(
          "n%-5d %-12s %-12s %-10d %-10d %s%n",
          i + 1,
          start[i][0] / 1024 + " MiB",
          end[i][0] / 1024 + " MiB",
          start[i][1],
          end[i][1],
          restarted[i] ? "yes" : "no");
      if (!restarted[i] && (end[i][0] > start[i][0] * 115 / 100 || end[i][1] > start[i][1] + 2)) {
        flat = false;
      }
    }
    return flat;
  }
}
