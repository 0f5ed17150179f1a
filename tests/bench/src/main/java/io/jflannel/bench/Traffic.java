package io.jflannel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Container-to-container traffic for benchmarks: reachability, iperf3 and sockperf. */
final class Traffic {
  private static final Pattern PERCENTILE =
      Pattern.compile("percentile (\\d+\\.\\d+) =\\s+([0-9.]+)");

  private Traffic() {}

  /** A client container on node 1 and a server container (with its address) on node 2. */
  record Pair(String clientNs, String serverNs, String serverIp) {}

  /**
   * Starts the agents of a two-node cluster, puts a container on each node's bridge and waits until
   * the server container answers pings from the client.
   */
  static Pair containers(NetnsCluster c) throws Exception {
    Node a = c.nodes().get(0);
    Node b = c.nodes().get(1);
    a.startAgent();
    b.startAgent();
    String bipA = a.awaitSubnet(30_000);
    String bipB = b.awaitSubnet(30_000);
    a.addContainer(bipA, 10);
    String server = b.addContainer(bipB, 10);
    Pair p = new Pair(a.containers().get(0), b.containers().get(0), server);
    awaitPing(p.clientNs(), server);
    return p;
  }

  /** Waits (at most 5 s) until {@code ip} answers a ping from {@code ns}. */
  static void awaitPing(String ns, String ip) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      if (Cmd.run(List.of("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", ip), 5).exit()
          == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(ip + " does not answer pings from " + ns);
  }

  /** iperf3 TCP for {@code seconds} from clientNs to serverIp in serverNs: Gbit/s received. */
  static double iperf(String clientNs, String serverNs, String serverIp, int seconds)
      throws Exception {
    Process s =
        new ProcessBuilder("ip", "netns", "exec", serverNs, "iperf3", "-s", "-1", "-p", "5201")
            .redirectErrorStream(true)
            .start();
    try {
      Thread.sleep(300);
      String out =
          Cmd.in(clientNs, "iperf3", "-c", serverIp, "-p", "5201", "-t", "" + seconds, "-J");
      double bps =
          new ObjectMapper()
              .readTree(out)
              .path("end")
              .path("sum_received")
              .path("bits_per_second")
              .asDouble();
      return bps / 1e9;
    } finally {
      Cmd.stop(s, true);
    }
  }

  /**
   * TCP request/response with sockperf ping-pong (64-byte messages, {@code seconds}): round-trip
   * p50 and p99 in µs (sockperf reports half round trips; doubled here).
   */
  static double[] rr(String clientNs, String serverNs, String serverIp, int seconds)
      throws Exception {
    Process s =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                serverNs,
                "sockperf",
                "server",
                "--tcp",
                "-i",
                serverIp,
                "-p",
                "11111")
            .redirectErrorStream(true)
            .start();
    try {
      Thread.sleep(500);
      String out =
          Cmd.in(
              clientNs,
              "sockperf",
              "ping-pong",
              "--tcp",
              "-i",
              serverIp,
              "-p",
              "11111",
              "-m",
              "64",
              "-t",
              "" + seconds);
      double p50 = Double.NaN;
      double p99 = Double.NaN;
      Matcher m = PERCENTILE.matcher(out);
      while (m.find()) {
        if (m.group(1).equals("50.000")) {
          p50 = 2 * Double.parseDouble(m.group(2));
        } else if (m.group(1).equals("99.000")) {
          p99 = 2 * Double.parseDouble(m.group(2));
        }
      }
      if (Double.isNaN(p50) || Double.isNaN(p99)) {
        throw new IllegalStateException("no percentiles in sockperf output:\n" + out);
      }
      return new double[] {p50, p99};
    } finally {
      Cmd.stop(s, true);
    }
  }
}
