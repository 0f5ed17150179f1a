package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.EtcdBurst;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The agent's footprint beside the previous release's, in one run ({@code ./scripts/bench
 * footprint}): each release as shipped (its bin/jflanneld and bin/jflanctl) on a one-node vxlan
 * cluster: process start → subnet.env (median of 5, from the file's own timestamp), RSS and threads
 * after sync with 3, 1000 and 5000 peers, CPU per idle minute, a Native Memory Tracking breakdown
 * at 1000 peers, {@code jflanctl leases} with 3 and 1000 leases beside {@code etcdctl get
 * --prefix}, the floor the agent's classes set ({@link ClassFloor}), and the image size.
 *
 * <p>Arguments: this tree, the previous release's tree, its name.
 */
public final class FootprintBench {
  static final List<String> NMT_ROWS =
      List.of("Java Heap", "Metaspace", "Class", "Shared class space", "Symbol", "Code", "Thread");

  private FootprintBench() {}

  public static void main(String[] args) throws Exception {
    List<Release> releases =
        List.of(
            // both with their CNI config in the run's directory (an agent of the previous release
            // wrote /etc/cni/net.d by default: the host's)
            new Release(
                "previous (" + args[2] + ")",
                Path.of(args[1]).toAbsolutePath(),
                List.of("--cni-conf-dir={dir}/cni")),
            new Release(
                "this tree",
                Path.of(args[0]).toAbsolutePath(),
                List.of("--cni-conf-dir={dir}/cni")));
    Map<String, Map<String, String>> table = new LinkedHashMap<>();
    Set<Path> before = vertxCaches();
    for (Release r : releases) {
      table.put(r.name(), measure(r));
    }
    // the previous release's jetcd (Vert.x) leaves a cache directory per process: ours, removed
    for (Path p : vertxCaches()) {
      if (!before.contains(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
    table.values().iterator().next().put("image size", "-");
    table.get("this tree").put("image size", imageSize());
    print(table);
    System.exit(0);
  }

  private static Set<Path> vertxCaches() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("vertx-cache-"))
          .collect(Collectors.toSet());
    }
  }

  private static Map<String, String> measure(Release r) throws Exception {
    Map<String, String> col = new LinkedHashMap<>();
    try (NetnsCluster c = new NetnsCluster(1, r.jar(), String.format(EventBench.CONFIG, "vxlan"))) {
      Node n = c.nodes().get(0);
      BurstPutter.onLink(n);
      put(c, 0, 3);
      List<Double> starts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Files.deleteIfExists(n.subnetFile());
        Instant s0 = Instant.now();
        r.start(c, n);
        n.awaitSubnetEnv(60_000);
        Instant written = Files.getLastModifiedTime(n.subnetFile()).toInstant();
        starts.add(Duration.between(s0, written).toNanos() / 1e6);
        if (i < 4) {
          n.stopAgent(false);
        }
      }
      col.put("start -> subnet.env, median of 5 (ms)", EventBench.median(starts));
      footprint(n, 3, col);
      col.put("CPU per idle minute, 3 peers (s)", idleCpu(n));
      col.put("jflanctl leases, 3 leases (ms)", timed(r.jflanctl(c, n, "leases")));
      col.put("  etcdctl get --prefix, 3 leases (ms)", timed(etcdctl(c)));
      put(c, 3, 1000);
      footprint(n, 1000, col);
      col.put("jflanctl leases, 1000 leases (ms)", timed(r.jflanctl(c, n, "leases")));
      col.put("  etcdctl get --prefix, 1000 leases (ms)", timed(etcdctl(c)));
      n.stopAgent(false);
      n.environment().put("JAVA_TOOL_OPTIONS", "-XX:NativeMemoryTracking=summary");
      r.start(c, n);
      n.awaitSubnetEnv(60_000);
      awaitPeers(n, 1000);
      Thread.sleep(5000);
      nmt(n, col);
      n.stopAgent(false);
      Path classList = r.tree().resolve("deploy/cds/jflannel.classlist");
      if (Files.isRegularFile(classList)) {
        col.put("class floor: a JVM with these flags, idle", ClassFloor.rss(r.jar(), null));
        col.put("  the same, the agent's classes loaded", ClassFloor.rss(r.jar(), classList));
      }
      n.environment().remove("JAVA_TOOL_OPTIONS");
      r.start(c, n);
      n.awaitSubnetEnv(60_000);
      put(c, 1000, 5000);
      footprint(n, 5000, col);
    }
    return col;
  }

  /** Leases {@code from} to {@code to - 1} (vxlan, /29), written as separate puts. */
  private static void put(NetnsCluster c, int from, int to) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      kv.put(
          c.etcdPrefix() + "/subnets/" + BurstPutter.subnet(i) + "-29",
          BurstPutter.lease("vxlan", i, 3));
    }
    EtcdBurst.run(c.etcdNamespace(), NetnsCluster.ETCD, kv);
  }

  private static void footprint(Node n, int peers, Map<String, String> col) throws Exception {
    awaitPeers(n, peers);
    Thread.sleep(5000);
    col.put("RSS / threads after sync, " + peers + " peers", EventTimes.footprint(n));
    // file-backed pages (the class-data archive, libjvm) are clean and reclaimable under memory
    // pressure; anonymous ones (heap, metaspace, stacks, malloc) are what a limit must hold
    col.put(
        "  anonymous / file-backed, " + peers + " peers",
        String.format(
            "%.0f MiB / %.0f MiB",
            EventTimes.status(n, "RssAnon:") / 1024.0, EventTimes.status(n, "RssFile:") / 1024.0));
  }

  /**
   * CPU seconds (user and system, waited-for children included: iptables) the agent spends in a
   * minute with nothing happening, its second (most of its C1 compilations done by then).
   */
  private static String idleCpu(Node n) throws Exception {
    Thread.sleep(60_000);
    long before = io.jflannel.testing.ProcStat.cpuTicks(n.agent().pid());
    Thread.sleep(60_000);
    return String.format(
        "%.2f", (io.jflannel.testing.ProcStat.cpuTicks(n.agent().pid()) - before) / 100.0);
  }

  /** Waits until flannel.1 carries a route per peer. */
  private static void awaitPeers(Node n, int peers) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (Cmd.in(n.ns(), "ip", "route", "show", "dev", "flannel.1").lines().count() < peers) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(peers + " peers never programmed: " + n.tail());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Median of 5 runs of {@code cmd}, after one warm-up run (the page cache; the previous release's
   * jflanctl writes its archive on its first run).
   */
  private static String timed(List<String> cmd) {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long t0 = System.nanoTime();
      Cmd.Result res = Cmd.run(cmd, 60);
      if (res.exit() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + res.out());
      }
      if (i > 0) {
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return EventBench.median(ms);
  }

  private static List<String> etcdctl(NetnsCluster c) {
    return List.of(
        "ip",
        "netns",
        "exec",
        c.etcdNamespace(),
        "etcdctl",
        "--endpoints",
        NetnsCluster.ETCD,
        "get",
        "--prefix",
        c.etcdPrefix() + "/subnets");
  }

  /** The committed MiB of the largest NMT categories. */
  private static void nmt(Node n, Map<String, String> col) {
    String out = Cmd.ok("jcmd", Long.toString(n.agent().pid()), "VM.native_memory", "summary");
    for (String l : out.lines().toList()) {
      String t = l.strip();
      if (t.startsWith("Total:")) {
        col.put("NMT at 1000 peers: total committed (MiB)", committed(t));
      }
      for (String row : NMT_ROWS) {
        if (t.startsWith("- ") && t.substring(2).strip().startsWith(row + " (")) {
          col.put("  " + row + " (MiB)", committed(t));
        }
      }
    }
  }

  private static String committed(String line) {
    int i = line.indexOf("committed=");
    String kb = line.substring(i + 10, line.indexOf("KB", i));
    return String.format("%.1f", Long.parseLong(kb) / 1024.0);
  }

  private static String imageSize() {
    Cmd.Result r =
        Cmd.run(
            List.of(
                "/usr/bin/docker",
                "image",
                "inspect",
                "-f",
                "{{.Size}}",
                "jflannel/jflanneld:0.1.0"),
            30);
    return r.exit() == 0
        ? String.format("%.0f MB", Long.parseLong(r.out().strip()) / 1e6)
        : "not built (./scripts/image)";
  }

  private static void print(Map<String, Map<String, String>> table) {
    List<String> names = new ArrayList<>(table.keySet());
    System.out.printf(
        "%nfootprint, one node (vxlan), the shipped launchers, %d cores"
            + " (flanneld v0.20.2: start 60-69 ms, RSS 32 MB, 8-9 threads, 0.40 s CPU per idle minute)%n%n",
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-44s %-24s %-24s%n", "", names.get(0), names.get(1));
    for (String row : table.get(names.get(1)).keySet()) {
      System.out.printf(
          "%-44s %-24s %-24s%n",
          row, table.get(names.get(0)).getOrDefault(row, "-"), table.get(names.get(1)).get(row));
    }
    System.out.printf(
        "%nbars: start <= 0.5 s (goal 0.2 s); RSS <= 80 MiB with 1000 peers (goal 50 MiB);"
            + " jflanctl leases <= 0.35 s with 3 leases (goal 0.15 s)%n");
  }
}
