package io.jflannel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Agent figures on a netns cluster: process start → subnet.env; 100 leases written at once → all
 * routes in the kernel; RSS and threads with 1000 peers; iperf3 container-to-container throughput
 * with the agent's kernel state against the same routes set up by hand.
 */
public final class AgentBench {
  static final String JVM_FLAGS = String.join(" ", Node.AGENT_JVM_FLAGS);

  private AgentBench() {}

  /** Entry point: {@code [agent-jar]}. */
  public static void main(String[] args) throws Exception {
    Path jar =
        Path.of(args.length > 0 ? args[0] : "agent/target/jflannel-agent-0.1.0-SNAPSHOT-all.jar")
            .toAbsolutePath();
    List<String> rows = new ArrayList<>();
    // own lease below 10.244.128.0, simulated peers above it: they never collide
    String config =
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":28,\"SubnetMax\":\"10.244.127.240\",\"Backend\":{\"Type\":\"host-gw\"}}";
    try (NetnsCluster c = new NetnsCluster(1, jar, config)) {
      Node n = c.nodes().get(0);
      BurstPutter.onLink(n);
      double[] starts = new double[5];
      for (int i = 0; i < starts.length; i++) {
        Files.deleteIfExists(n.subnetFile());
        long t0 = System.nanoTime();
        n.startAgent();
        n.awaitSubnet(30_000);
        starts[i] = (System.nanoTime() - t0) / 1e6;
        if (i < starts.length - 1) {
          n.stopAgent(false);
        }
      }
      Arrays.sort(starts);
      rows.add(
          String.format(
              "%-52s %10.0f ms   (flanneld v0.20.2: 60-69 ms)",
              "process start -> subnet.env (median of 5)", starts[2]));
      double[] conv = new double[3];
      for (int r = 0; r < conv.length; r++) {
        conv[r] = putAndAwait(c, n, 100, 2048 + r * 100);
      }
      Arrays.sort(conv);
      rows.add(
          String.format(
              "%-52s %10.0f ms   (median of 3)",
              "100 leases in one txn -> 100 routes in the kernel", conv[1]));
      String metrics = Cmd.in(n.ns(), "curl", "-s", "http://127.0.0.1:8471/metrics");
      rows.add(
          String.format("%-52s %s", "agent histogram (event -> programmed)", histogram(metrics)));
      double t1000 = putAndAwait(c, n, 1000, 2048 + 300);
      rows.add(String.format("%-52s %10.0f ms", "1000 leases -> 1000 routes in the kernel", t1000));
      Thread.sleep(3000);
      long pid = n.agent().pid();
      String status = Files.readString(Path.of("/proc/" + pid + "/status"));
      rows.add(
          String.format(
              "%-52s %10s      (flags: %s; goal <= 128 MiB)",
              "RSS with 1000 peers", field(status, "VmRSS"), JVM_FLAGS));
      rows.add(
          String.format(
              "%-52s %10s      (flanneld: 8-9)",
              "threads with 1000 peers", field(status, "Threads")));
    }
    for (String backend : List.of("host-gw", "vxlan")) {
      rows.add(throughput(jar, backend));
    }
    System.out.printf("%nagent, %d cores%n%n", Runtime.getRuntime().availableProcessors());
    rows.forEach(System.out::println);
    System.exit(0);
  }

  private static String field(String status, String name) {
    return status
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .findFirst()
        .orElse(name + ": ?")
        .substring(name.length() + 1)
        .strip();
  }

  private static String histogram(String metrics) {
    double count = 0;
    double sum = 0;
    for (String l : metrics.lines().toList()) {
      if (l.startsWith("jflannel_convergence_seconds_count")) {
        count = Double.parseDouble(l.split(" ")[1]);
      } else if (l.startsWith("jflannel_convergence_seconds_sum")) {
        sum = Double.parseDouble(l.split(" ")[1]);
      }
    }
    return String.format(
        "%d batches, mean %.2f ms", (long) count, count == 0 ? 0 : sum / count * 1000);
  }

  /**
   * Writes {@code count} leases in txns of up to 100 puts, returns ms until all routes are
   * programmed.
   */
  private static double putAndAwait(NetnsCluster c, Node n, int count, int firstIndex)
      throws Exception {
    List<String> txns = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    int inTxn = 0;
    for (int i = firstIndex; i < firstIndex + count; i++) {
      String subnet = "10.244." + (i / 16) + "." + (i % 16 * 16) + "-28";
      String ip = BurstPutter.publicIp(i);
      String json =
          new ObjectMapper()
              .createObjectNode()
              .put("PublicIP", ip)
              .putNull("PublicIPv6")
              .put("BackendType", "host-gw")
              .toString();
      // etcdctl txn takes double-quoted values with escaped quotes (single quotes are not
      // understood)
      t.append("put /coreos.com/network/subnets/")
          .append(subnet)
          .append(" \"")
          .append(json.replace("\"", "\\\""))
          .append("\"\n");
      if (++inTxn == 100) {
        txns.add("\n" + t + "\n\n");
        t.setLength(0);
        inTxn = 0;
      }
    }
    if (inTxn > 0) {
      txns.add("\n" + t + "\n\n");
    }
    int before = routes(n);
    long t0 = System.nanoTime();
    for (String txn : txns) {
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  c.prefix() + "etcd",
                  "etcdctl",
                  "--endpoints",
                  NetnsCluster.ETCD,
                  "txn")
              .start();
      p.getOutputStream().write(txn.getBytes());
      p.getOutputStream().close();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "etcdctl txn failed: " + new String(p.getErrorStream().readAllBytes()));
      }
    }
    while (routes(n) < before + count) {
      if (System.nanoTime() - t0 > 60e9) {
        throw new IllegalStateException(
            "routes not programmed: " + routes(n) + " of " + (before + count));
      }
      Thread.sleep(2);
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static int routes(Node n) {
    return (int) Cmd.in(n.ns(), "ip", "route", "show", "proto", "121").lines().count();
  }

  /**
   * iperf3 between containers on two nodes: with the agent's kernel state, then with the same
   * routes made by hand.
   */
  private static String throughput(Path jar, String backend) throws Exception {
    try (NetnsCluster c =
        new NetnsCluster(
            2, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"" + backend + "\"}}")) {
      Node a = c.nodes().get(0);
      Node b = c.nodes().get(1);
      Traffic.Pair p = Traffic.containers(c);
      String ca = p.clientNs();
      String cb = p.serverNs();
      String server = p.serverIp();
      double agent = Traffic.iperf(ca, cb, server, 5);
      // the same kernel state by hand: stop the agents (state is kept), drop their routes, add them
      // again with ip
      a.stopAgent(false);
      b.stopAgent(false);
      List<String> routesA = Cmd.in(a.ns(), "ip", "route", "show", "proto", "121").lines().toList();
      List<String> routesB = Cmd.in(b.ns(), "ip", "route", "show", "proto", "121").lines().toList();
      Cmd.in(a.ns(), "ip", "route", "flush", "proto", "121");
      Cmd.in(b.ns(), "ip", "route", "flush", "proto", "121");
      for (String r : routesA) {
        Cmd.ok(
            ("ip netns exec " + a.ns() + " ip route add " + r.replace("proto 121", ""))
                .split("\\s+"));
      }
      for (String r : routesB) {
        Cmd.ok(
            ("ip netns exec " + b.ns() + " ip route add " + r.replace("proto 121", ""))
                .split("\\s+"));
      }
      double hand = Traffic.iperf(ca, cb, server, 5);
      return String.format(
          "%-52s %7.2f Gbit/s  by hand %.2f Gbit/s  ratio %.0f %%",
          "iperf3 container->container " + backend, agent, hand, 100 * agent / hand);
    }
  }
}
