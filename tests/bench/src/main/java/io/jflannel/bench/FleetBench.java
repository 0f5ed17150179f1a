package io.jflannel.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fleet simulation ({@code ./scripts/bench fleet N}): N nodes' real control planes ({@link
 * FleetNode}, each with its own etcd connection) in JVMs of 250 nodes, against a real etcd of one
 * and of three members. Prints per topology: a new lease put → programmed on all N (p50 / p99 /
 * max), etcd's gRPC requests per second at idle beside the previous release's per-node reads
 * (simulated: its 1 s config probe), messages per lease change, an etcd restart (time until every
 * node programs a new lease again, requests in its first 10 s, nodes that gave up), and what the
 * simulation's JVMs and etcd cost.
 */
public final class FleetBench {
  static final int PER_JVM = 250;
  static final String CONFIG =
      "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":28,\"SubnetMax\":\"10.244.254.240\","
          + "\"Backend\":{\"Type\":\"host-gw\"}}";

  private FleetBench() {}

  /** Entry point: {@code CLASSPATH N [MEMBERS...]}. */
  public static void main(String[] args) throws Exception {
    String cp = args[0];
    int n = Integer.parseInt(args[1]);
    int[] topologies =
        args.length > 2
            ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 3};
    List<String> report = new ArrayList<>();
    for (int members : topologies) {
      report.addAll(run(cp, n, members));
    }
    System.out.printf(
        "%nfleet of %d nodes, %d cores%n%n", n, Runtime.getRuntime().availableProcessors());
    report.forEach(System.out::println);
  }

  static List<String> run(String cp, int n, int members) throws Exception {
    List<String> out = new ArrayList<>();
    String etcdName = members == 1 ? "etcd, 1 member" : "etcd, " + members + " members";
    try (FleetEtcd etcd = new FleetEtcd(members);
        Fleet fleet = new Fleet(cp, etcd.endpoints(), n)) {
      etcd.etcdctl("put", "/coreos.com/network/config", CONFIG);
      long t0 = System.nanoTime();
      fleet.start();
      out.add(row(etcdName, "all " + n + " nodes leased and synced", secs(System.nanoTime() - t0)));
      Map<String, Double> idle = rate(etcd, 20);
      fleet.command("probe on");
      FleetEtcd.sleep(2000);
      Map<String, Double> previous = rate(etcd, 20);
      fleet.command("probe off");
      out.add(
          row(
              etcdName,
              "idle unary requests/s (fleet)",
              sum(idle, "handled unary ")
                  + "   previous release (simulated 1 s probe): "
                  + sum(previous, "handled unary ")));
      out.add(row(etcdName, "idle stream messages/s received (fleet)", sum(idle, "msg_received ")));
      out.add(row(etcdName, "idle stream messages/s sent (fleet)", sum(idle, "msg_sent ")));
      Map<String, Double> before = etcd.counters();
      double[] lat = new double[0];
      for (int j = 0; j < 5; j++) {
        lat = concat(lat, fleet.put(etcd, j));
      }
      Map<String, Double> per = delta(before, etcd.counters(), 5);
      Arrays.sort(lat);
      out.add(
          row(
              etcdName,
              "new lease -> programmed on all N (5 leases)",
              String.format(
                  "p50 %.0f ms  p99 %.0f ms  max %.0f ms",
                  pct(lat, 50), pct(lat, 99), lat[lat.length - 1])));
      out.add(row(etcdName, "etcd messages per lease change", nonZero(per)));
      double cpu0 = etcd.cpuSeconds();
      etcd.killAll();
      FleetEtcd.sleep(5000);
      etcd.startAll();
      long back = System.nanoTime();
      double[] after = fleet.put(etcd, 5, back);
      Arrays.sort(after);
      FleetEtcd.sleep(Math.max(0, 10_000 - (System.nanoTime() - back) / 1_000_000));
      Map<String, Double> storm = etcd.counters(); // the members' counters started at zero
      out.add(
          row(
              etcdName,
              "etcd restarted: new lease on all N after healthy",
              String.format(
                  "p50 %.2f s  max %.2f s",
                  pct(after, 50) / 1000, after[after.length - 1] / 1000)));
      out.add(row(etcdName, "etcd restarted: requests in its first 10 s", nonZero(storm)));
      // again, and this time a lease is put and the history compacted the moment etcd is back:
      // every watcher that had not reconnected yet asks for a compacted revision and re-lists
      etcd.killAll();
      FleetEtcd.sleep(5000);
      etcd.startAll();
      long back2 = System.nanoTime();
      fleet.putOnly(etcd, 6);
      etcd.etcdctl("put", "/fleet-bench/marker", "after the lease"); // compacted past the lease too
      String rev = etcd.etcdctl("get", "/fleet-bench/marker", "-w", "fields");
      long revision = Long.parseLong(rev.replaceAll("(?s).*\"Revision\" : (\\d+).*", "$1"));
      etcd.etcdctl("compaction", Long.toString(revision));
      double[] relisted = fleet.await(6, back2);
      Arrays.sort(relisted);
      FleetEtcd.sleep(Math.max(0, 10_000 - (System.nanoTime() - back2) / 1_000_000));
      double lists = etcd.counters().getOrDefault("handled unary Range", 0.0);
      out.add(
          row(
              etcdName,
              "restart + compaction: all N converged after healthy",
              String.format(
                  "p50 %.2f s  max %.2f s; %.0f Range requests in its first 10 s (the re-lists;"
                      + " etcdctl's few among them)",
                  pct(relisted, 50) / 1000, relisted[relisted.length - 1] / 1000, lists)));
      long[] stats = fleet.stats();
      out.add(row(etcdName, "nodes that gave up their lease", Long.toString(stats[2])));
      out.add(
          row(
              etcdName,
              "simulation per node: RSS / threads",
              String.format("%.2f MiB / %.1f", stats[0] / 1024.0 / n, stats[1] / (double) n)));
      out.add(
          row(
              etcdName,
              "etcd CPU s (whole run, of which after restart)",
              String.format(
                  "%.1f (%.1f)   RSS %.0f MiB",
                  etcd.cpuSeconds(), etcd.cpuSeconds() - cpu0, etcd.rssMib())));
    }
    return out;
  }

  private static String row(String etcd, String what, String value) {
    return String.format("%-16s %-48s %s", etcd, what, value);
  }

  private static String secs(long nanos) {
    return String.format("%.1f s", nanos / 1e9);
  }

  private static Map<String, Double> rate(FleetEtcd etcd, int seconds) {
    Map<String, Double> a = etcd.counters();
    FleetEtcd.sleep(seconds * 1000L);
    return delta(a, etcd.counters(), seconds);
  }

  private static Map<String, Double> delta(
      Map<String, Double> a, Map<String, Double> b, double by) {
    Map<String, Double> d = new TreeMap<>();
    b.forEach((k, v) -> d.put(k, (v - a.getOrDefault(k, 0.0)) / by));
    return d;
  }

  private static String sum(Map<String, Double> m, String prefix) {
    double s =
        m.entrySet().stream()
            .filter(e -> e.getKey().startsWith(prefix))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    return String.format("%.2f %s", s, nonZero(filter(m, prefix)));
  }

  private static Map<String, Double> filter(Map<String, Double> m, String prefix) {
    Map<String, Double> f = new TreeMap<>(m);
    f.keySet().removeIf(k -> !k.startsWith(prefix));
    return f;
  }

  private static String nonZero(Map<String, Double> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach(
        (k, v) -> {
          if (v != 0) {
            b.append(b.length() > 1 ? ", " : "")
                .append(k.replaceFirst("^\\S+ \\S+ ", ""))
                .append(
                    k.startsWith("handled") ? "" : k.startsWith("msg_sent") ? " (sent)" : " (msgs)")
                .append(String.format(" %.1f", v));
          }
        });
    return b.append('}').toString();
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** The worker JVMs: started, told, read. */
  static final class Fleet implements AutoCloseable {
    private final List<Process> workers = new ArrayList<>();
    private final List<PrintWriter> inputs = new ArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Map<String, List<Long>> seen = new ConcurrentHashMap<>();
    private final String cp;
    private final String endpoints;
    private final int n;

    Fleet(String cp, String endpoints, int n) {
      this.cp = cp;
      this.endpoints = endpoints;
      this.n = n;
    }

    void start() throws Exception {
      for (int first = 0; first < n; first += PER_JVM) {
        Process p =
            new ProcessBuilder(
                    "java",
                    "-XX:+UseSerialGC",
                    "-Xss256k",
                    "-Xmx1g",
                    "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    "-cp",
                    cp,
                    FleetWorker.class.getName(),
                    endpoints,
                    Integer.toString(first),
                    Integer.toString(Math.min(PER_JVM, n - first)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        workers.add(p);
        inputs.add(new PrintWriter(p.getOutputStream(), true));
        Thread t = new Thread(() -> read(p), "fleet-reader");
        t.setDaemon(true);
        t.start();
      }
      for (int ready = 0; ready < workers.size(); ) {
        String l = next(600);
        if (l.startsWith("ready")) {
          ready++;
        }
      }
    }

    private void read(Process p) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
        for (String l; (l = r.readLine()) != null; ) {
          if (l.startsWith("seen ")) {
            String[] f = l.split(" ");
            List<Long> all = seen.computeIfAbsent(f[1], k -> new ArrayList<>());
            synchronized (all) {
              Arrays.stream(f[2].split(",")).map(Long::parseLong).forEach(all::add);
            }
          } else {
            lines.add(l);
          }
        }
      } catch (Exception e) {
        lines.add("error " + e);
      }
    }

    private String next(int seconds) throws InterruptedException {
      String l = lines.poll(seconds, TimeUnit.SECONDS);
      if (l == null || l.startsWith("error")) {
        throw new IllegalStateException("fleet worker: " + (l == null ? "no answer" : l));
      }
      return l;
    }

    void command(String c) {
      inputs.forEach(i -> i.println(c));
    }

    /** Puts probe lease {@code j}; returns each node's put → programmed, in ms. */
    double[] put(FleetEtcd etcd, int j) throws InterruptedException {
      return put(etcd, j, System.nanoTime());
    }

    /**
     * Puts probe lease {@code j}; returns each node's time from {@code t0} to programmed, in ms.
     */
    double[] put(FleetEtcd etcd, int j, long t0) throws InterruptedException {
      putOnly(etcd, j);
      return await(j, t0);
    }

    /** Writes probe lease {@code j} (10.244.255.(16 j)/28). */
    void putOnly(FleetEtcd etcd, int j) {
      etcd.etcdctl(
          "put",
          "/coreos.com/network/subnets/10.244.255." + 16 * j + "-28",
          "{\"PublicIP\":\"198.18.200." + (j + 1) + "\",\"BackendType\":\"host-gw\"}");
    }

    /** Waits until every node programmed probe lease {@code j}; each one's ms since {@code t0}. */
    double[] await(int j, long t0) throws InterruptedException {
      String key = "10.244.255." + 16 * j + "-28";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (seen.getOrDefault(key, List.of()).size() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              key + " programmed on " + seen.getOrDefault(key, List.of()).size() + " of " + n);
        }
        Thread.sleep(5);
      }
      List<Long> all = seen.get(key);
      synchronized (all) {
        return all.stream().mapToDouble(t -> (t - t0) / 1e6).toArray();
      }
    }

    /** RSS KiB, threads and nodes that lost their lease, summed over the workers. */
    long[] stats() throws InterruptedException {
      command("stats");
      long[] s = new long[3];
      for (int i = 0; i < workers.size(); i++) {
        String[] f = next(60).split(" ");
        for (int k = 0; k < 3; k++) {
          s[k] += Long.parseLong(f[k + 1]);
        }
      }
      return s;
    }

    @Override
    public void close() throws Exception {
      command("quit");
      for (Process p : workers) {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }
}
