package io.jflannel.bench;

import io.jflannel.testing.NetnsCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data path of each backend side by side, in one run on the same two-node fixture: iperf3 TCP
 * throughput and sockperf TCP request/response round trips between containers on different nodes,
 * for host-gw, vxlan, and udp with and without offloads, each after a 2 s warm-up transfer; udp
 * with the compiler bin/jflanneld gives a udp node and, beside it, C1 only. Prints a table with
 * ratios.
 */
public final class TunnelBench {
  private TunnelBench() {}

  /** Entry point: {@code [agent-jar [iperf-seconds]]}. */
  public static void main(String[] args) throws Exception {
    Path jar =
        Path.of(args.length > 0 ? args[0] : "agent/target/jflannel-agent-0.1.0-SNAPSHOT-all.jar")
            .toAbsolutePath();
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Map<String, String> backends = new LinkedHashMap<>();
    backends.put("host-gw", "{\"Type\":\"host-gw\"}");
    backends.put("vxlan", "{\"Type\":\"vxlan\"}");
    backends.put("udp, offloads on", "{\"Type\":\"udp\"}");
    backends.put("udp, on, C1 only", "{\"Type\":\"udp\"}");
    backends.put("udp, offloads off", "{\"Type\":\"udp\",\"Offloads\":false}");
    Map<String, double[]> results = new LinkedHashMap<>();
    for (var e : backends.entrySet()) {
      results.put(e.getKey(), measure(jar, e.getValue(), seconds, !e.getKey().endsWith("C1 only")));
      System.err.printf("measured %s%n", e.getKey());
    }
    double hostGw = results.get("host-gw")[0];
    double vxlan = results.get("vxlan")[0];
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            "%-20s %12s %10s %10s %14s %14s",
            "backend", "TCP Gbit/s", "vs host-gw", "vs vxlan", "RR p50 µs", "RR p99 µs"));
    results.forEach(
        (name, r) ->
            rows.add(
                String.format(
                    "%-20s %12.2f %9.0f%% %9.0f%% %14.1f %14.1f",
                    name, r[0], 100 * r[0] / hostGw, 100 * r[0] / vxlan, r[1], r[2])));
    System.out.println();
    System.out.printf(
        "container -> container across two netns nodes, iperf3 -t %d, sockperf ping-pong --tcp -m 64"
            + " -t 3 (round trips)%n",
        seconds);
    rows.forEach(System.out::println);
  }

  /** {Gbit/s, RR p50 µs, RR p99 µs} for one backend config. */
  private static double[] measure(Path jar, String backend, int seconds, boolean shipped)
      throws Exception {
    try (NetnsCluster c =
        new NetnsCluster(2, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":" + backend + "}")) {
      c.optimizingCompiler(shipped && c.optimizingCompiler()); // the launcher's choice, or C1
      Traffic.Pair p = Traffic.containers(c);
      // warm-up: a long-running agent's JIT has compiled its path
      Traffic.iperf(p.clientNs(), p.serverNs(), p.serverIp(), 2);
      double gbps = Traffic.iperf(p.clientNs(), p.serverNs(), p.serverIp(), seconds);
      double[] rr = Traffic.rr(p.clientNs(), p.serverNs(), p.serverIp(), 3);
      return new double[] {gbps, rr[0], rr[1]};
    }
  }
}
