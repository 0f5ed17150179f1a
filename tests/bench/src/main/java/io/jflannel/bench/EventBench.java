package io.jflannel.bench;

import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lease event to kernel at cluster scale ({@code ./scripts/bench events}), for vxlan and host-gw
 * side by side: a burst of 1000 leases written as 1000 separate etcd puts (put → route latency per
 * lease, from the time each put was sent to the kernel's own route event; lost = never programmed),
 * and a cold start with 5000 leases present (process start → all kernel objects, lease list → all
 * kernel objects, beside {@code ip -batch} installing the same objects: the kernel's floor; median
 * of three rounds on fresh clusters, the JIT being cold each time), with RSS and threads at 1000
 * and 5000 peers.
 */
public final class EventBench {
  static final String CONFIG =
      "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":29,\"SubnetMin\":\"10.244.255.0\","
          + "\"SubnetMax\":\"10.244.255.248\",\"Backend\":{\"Type\":\"%s\"}}";

  static final int COLD_ROUNDS = 3;
  private static final String RSS_SMALL = "rss-kb-burst";
  private static int burstSize;

  private EventBench() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int cold = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    burstSize = burst;
    if (cold <= burst || cold > BurstPutter.MAX) {
      throw new IllegalArgumentException(
          "COLD must be above BURST and at most " + BurstPutter.MAX + ": " + burst + " " + cold);
    }
    Map<String, Map<String, String>> table = new LinkedHashMap<>();
    for (String backend : List.of("vxlan", "host-gw")) {
      Map<String, String> col = new LinkedHashMap<>();
      table.put(backend, col);
      burst(jar, backend, burst, col);
      cold(jar, backend, cold, col);
    }
    print(table, burst, cold);
    System.exit(0);
  }

  private static void burst(Path jar, String backend, int count, Map<String, String> col)
      throws Exception {
    try (NetnsCluster c = new NetnsCluster(1, jar, String.format(CONFIG, backend))) {
      Node n = c.nodes().get(0);
      BurstPutter.onLink(n);
      n.startAgent();
      n.awaitSubnetEnv(60_000);
      EventTimes.awaitLog(n, "ready:", 60_000);
      try (RouteMonitor m = RouteMonitor.start(n.ns())) {
        Map<String, Long> sent = EventTimes.put(c, backend, count, 1);
        Map<String, Long> routed = m.await(sent.keySet(), 30_000);
        List<Double> ms = new ArrayList<>();
        for (var e : sent.entrySet()) {
          Long r = routed.get(e.getKey());
          if (r != null) {
            ms.add((r - e.getValue()) / 1000.0);
          }
        }
        ms.sort(Double::compare);
        col.put(
            "burst p50 / p99 / max (ms)",
            String.format(
                "%.1f / %.1f / %.1f",
                pct(ms, 50), pct(ms, 99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1)));
        col.put("burst lost (of " + count + ")", Integer.toString(count - ms.size()));
        long first = sent.values().stream().min(Long::compare).orElse(0L);
        long last = routed.values().stream().max(Long::compare).orElse(0L);
        col.put(
            "burst: first put -> last route (ms)", String.format("%.0f", (last - first) / 1000.0));
      }
      Thread.sleep(3000);
      col.put("RSS / threads, " + count + " peers", EventTimes.footprint(n));
      col.put(RSS_SMALL, Long.toString(EventTimes.status(n, "VmRSS:")));
    }
  }

  /** Cold start, {@value #COLD_ROUNDS} rounds on fresh clusters: medians (and the range). */
  private static void cold(Path jar, String backend, int count, Map<String, String> col)
      throws Exception {
    List<Double> startToAll = new ArrayList<>();
    List<Double> listToAll = new ArrayList<>();
    List<Double> floor = new ArrayList<>();
    int programmed = count;
    String footprint = "";
    long rss = 0;
    for (int round = 0; round < COLD_ROUNDS; round++) {
      try (NetnsCluster c = new NetnsCluster(1, jar, String.format(CONFIG, backend))) {
        Node n = c.nodes().get(0);
        BurstPutter.onLink(n);
        EventTimes.put(c, backend, count, 2);
        List<String> subnets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          subnets.add(BurstPutter.subnet(i));
        }
        try (RouteMonitor m = RouteMonitor.start(n.ns())) {
          long start = EventTimes.nowMicros();
          n.startAgent();
          Map<String, Long> routed = m.await(subnets, 60_000);
          long last = routed.values().stream().max(Long::compare).orElse(0L);
          programmed = Math.min(programmed, routed.size());
          startToAll.add((last - start) / 1000.0);
          listToAll.add((last - EventTimes.logMicros(n, "first snapshot:")) / 1000.0);
          floor.add(IpBatchFloor.millis(c.prefix() + "floor", backend, count));
        }
        Thread.sleep(3000);
        footprint = EventTimes.footprint(n);
        rss = EventTimes.status(n, "VmRSS:");
      }
    }
    col.put("cold " + count + ": start -> all objects (ms)", median(startToAll));
    col.put("cold " + count + ": lease list -> all (ms)", median(listToAll));
    col.put("  ip -batch, same objects (ms)", median(floor));
    col.put("  ratio list->all / ip -batch", String.format("%.2f", mid(listToAll) / mid(floor)));
    col.put("cold: routes programmed (worst round)", programmed + " of " + count);
    col.put("RSS / threads, " + count + " peers", footprint);
    long small = Long.parseLong(col.remove(RSS_SMALL));
    col.put(
        "RSS per peer, " + count + " vs burst size (KiB)",
        String.format("%.1f", (rss - small) / (double) (count - burstSize)));
  }

  /** "median (min-max)" of {@code v}, in ms. */
  static String median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(Double::compare);
    return String.format("%.0f (%.0f-%.0f)", mid(s), s.get(0), s.get(s.size() - 1));
  }

  static double mid(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }

  static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static void print(Map<String, Map<String, String>> table, int burst, int cold) {
    System.out.printf(
        "%nlease events -> kernel, %d cores (flanneld v0.20.2: burst 16-86 %% lost,"
            + " ~1.5 ms for the rest; cold 5000: vxlan 3.6 s, host-gw 39.6 s)%n%n",
        Runtime.getRuntime().availableProcessors());
    List<String> rows = new ArrayList<>(table.values().iterator().next().keySet());
    System.out.printf("%-40s %-26s %-26s%n", "", "vxlan", "host-gw");
    for (String r : rows) {
      System.out.printf(
          "%-40s %-26s %-26s%n",
          r, table.get("vxlan").getOrDefault(r, "-"), table.get("host-gw").getOrDefault(r, "-"));
    }
    System.out.printf(
        "%nbars: burst 0 lost and p99 <= 100 ms (goal 20 ms); cold lease list -> all within 1.2x"
            + " of ip -batch (goal: start -> all <= 800 ms)%n");
  }
}
