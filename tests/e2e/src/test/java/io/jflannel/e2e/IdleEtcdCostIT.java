package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.EtcdCounters;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.ProcStat;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an idle cluster costs etcd, read from etcd's own gRPC counters: four vxlan nodes (three
 * peers each), ready, then 60 s with nothing happening. No unary request (Range, Txn, Put, lease
 * grants, …) reaches etcd in that minute: health comes from the watch and keep-alive streams, the
 * config from a watch, the lease from its keep-alive at renewal time. The stream messages and the
 * agents' CPU in that minute are printed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IdleEtcdCostIT {

  /** The shipped reconcile and firewall resync periods (the fixtures' default is 2 s for both). */
  static final String[] SHIPPED_PERIODS = {"--reconcile-interval", "10", "--iptables-resync", "5"};

  @Test
  void anIdleClusterSendsEtcdNoUnaryRequest() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            4, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      for (Node n : cluster.nodes()) {
        n.startAgent(SHIPPED_PERIODS);
      }
      for (Node n : cluster.nodes()) {
        n.awaitSubnetEnv(60_000);
        n.awaitPeers(3, 30);
      }
      Map<String, Double> unary = idleMinute(cluster, "4 jflanneld nodes");
      assertThat(unary).as("unary requests etcd served in the idle minute").isEmpty();
      for (Node n : cluster.nodes()) {
        assertThat(n.jflanctl("status").out()).containsPattern("etcd: +healthy");
      }
    }
  }

  /**
   * Sixty idle seconds of a settled cluster: prints the etcd counters that moved and every node
   * process's CPU seconds; returns the unary requests etcd served (method → count).
   */
  static Map<String, Double> idleMinute(NetnsCluster cluster, String what) throws Exception {
    Thread.sleep(2000); // the start's own reads are done
    Map<String, Double> before = counters(cluster);
    long[] cpu0 = cpuTicks(cluster);
    Thread.sleep(60_000);
    Map<String, Double> after = counters(cluster);
    long[] cpu1 = cpuTicks(cluster);
    Map<String, Double> delta = new TreeMap<>();
    after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0.0)));
    delta.values().removeIf(v -> v == 0);
    StringBuilder cpu = new StringBuilder();
    for (int i = 0; i < cpu0.length; i++) {
      cpu.append(String.format(" %.2f", (cpu1[i] - cpu0[i]) / 100.0));
    }
    System.out.printf(
        "idle minute of %s: etcd counters that moved %s; CPU s per node:%s%n", what, delta, cpu);
    Map<String, Double> unary = new TreeMap<>(delta);
    unary.keySet().removeIf(k -> !k.startsWith("handled unary "));
    return unary;
  }

  /** etcd's gRPC counters: "handled unary Range" → count, "msg_received bidi_stream Watch" → …. */
  static Map<String, Double> counters(NetnsCluster cluster) {
    String m = Cmd.in(cluster.etcdNamespace(), "curl", "-sf", NetnsCluster.ETCD + "/metrics");
    Map<String, Double> out = EtcdCounters.parse(m);
    assertThat(out).as("etcd's gRPC counters at /metrics").isNotEmpty();
    return out;
  }

  /**
   * CPU of every node's process (agent or flanneld) and of the children it waited for (iptables
   * runs), in clock ticks (1/100 s).
   */
  static long[] cpuTicks(NetnsCluster cluster) throws Exception {
    long[] t = new long[cluster.nodes().size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = ProcStat.cpuTicks(cluster.nodes().get(i).agent().pid());
    }
    return t;
  }
}
