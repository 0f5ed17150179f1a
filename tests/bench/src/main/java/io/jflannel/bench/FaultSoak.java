package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.EtcdMembers;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.Pinger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The long fault run ({@code ./scripts/soak [MINUTES] [SEED]}): four vxlan nodes on a 3-member etcd
 * cluster, every node's container pinging every other's at 50/s for the whole run, while seeded
 * random faults hit the cluster: the etcd leader killed and restarted, a member paused, an agent
 * restarted (SIGTERM or SIGKILL), flannel.1 deleted. After each fault every node must be READY with
 * a clean diff again. At the end: no packet lost between nodes whose own agent or device was not
 * hit at that moment, and RSS and threads of the agents never restarted flat.
 */
public final class FaultSoak {
  private FaultSoak() {}

  /** A fault and the node it hit (-1: etcd), with when it started and ended (ms). */
  record Fault(String what, int node, long startMs, long endMs) {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261127L;
    Random rnd = new Random(seed);
    System.out.printf("fault soak: %d min, seed %d%n", minutes, seed);
    try (NetnsCluster c =
        new NetnsCluster(
            4, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}", 3)) {
      String[] flags = {"--lease-ttl", "60", "--subnet-lease-renew-margin", "1"};
      List<String> ips = new ArrayList<>();
      for (Node n : c.nodes()) {
        n.startAgent(flags);
      }
      for (Node n : c.nodes()) {
        ips.add(n.addContainer(n.awaitSubnet(60_000), 10));
      }
      Soak.awaitSettled(c, 60_000);
      List<Pinger> pingers = new ArrayList<>();
      List<int[]> pairs = new ArrayList<>();
      for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
          if (a != b) {
            pingers.add(Pinger.start(c.nodes().get(a).containers().get(0), ips.get(b)));
            pairs.add(new int[] {a, b});
          }
        }
      }
      boolean[] restarted = new boolean[4];
      Thread.sleep(60_000); // warm-up: the JIT and the libraries' pools settle first
      long[][] footprintStart = Soak.footprints(c);
      List<Fault> faults = new ArrayList<>();
      long end = System.currentTimeMillis() + minutes * 60_000L;
      long worstSettle = 0;
      while (System.currentTimeMillis() < end) {
        Thread.sleep(5000 + rnd.nextInt(7000));
        Fault f = inject(c, rnd, flags);
        if (f.node() >= 0 && f.what().startsWith("agent")) {
          restarted[f.node()] = true;
        }
        long settle = Soak.awaitSettled(c, 30_000);
        worstSettle = Math.max(worstSettle, settle);
        faults.add(new Fault(f.what(), f.node(), f.startMs(), System.currentTimeMillis()));
        System.out.printf(
            "  %-32s node %s: settled after %d ms%n",
            f.what(), f.node() < 0 ? "-" : f.node() + 1, settle);
      }
      Thread.sleep(2000);
      long[][] footprintEnd = Soak.footprints(c);
      int sent = 0;
      int lost = 0;
      int unexplained = 0;
      java.util.Map<String, Integer> byCause = new java.util.TreeMap<>();
      for (int i = 0; i < pingers.size(); i++) {
        Pinger.Result r = pingers.get(i).stop();
        sent += r.sent();
        lost += r.lost();
        for (double t : r.lostAt()) {
          String cause = Soak.cause(faults, pairs.get(i), (long) (t * 1000));
          if (cause == null) {
            unexplained++;
            System.out.printf("  unexplained loss %s at %.3f%n", r.what(), t);
          } else {
            byCause.merge(cause, 1, Integer::sum);
          }
        }
      }
      System.out.println("lost packets by cause on the pair's own node: " + byCause);
      boolean flat =
          Soak.report(
              faults,
              worstSettle,
              sent,
              lost,
              unexplained,
              restarted,
              footprintStart,
              footprintEnd);
      if (unexplained > 0 || !flat) {
        System.out.println("FAILED");
        System.exit(1);
      }
      System.out.println("PASSED");
    }
  }

  private static Fault inject(NetnsCluster c, Random rnd, String[] flags) throws Exception {
    EtcdMembers e = c.etcdMembers();
    long t0 = System.currentTimeMillis();
    switch (rnd.nextInt(4)) {
      case 0 -> {
        int leader = e.leader();
        int victim = leader < 0 ? rnd.nextInt(3) : leader;
        e.kill(victim);
        Thread.sleep(3000 + rnd.nextInt(5000));
        e.start(victim);
        return new Fault("etcd leader e" + victim + " killed", -1, t0, 0);
      }
      case 1 -> {
        int victim = rnd.nextInt(3);
        e.pause(victim);
        Thread.sleep(5000 + rnd.nextInt(10000));
        e.resume(victim);
        return new Fault("etcd member e" + victim + " paused", -1, t0, 0);
      }
      case 2 -> {
        int n =
            1 + rnd.nextInt(3); // node 1's agent is never restarted: its footprint must stay flat
        boolean kill = rnd.nextBoolean();
        Node node = c.nodes().get(n);
        node.stopAgent(kill);
        node.startAgent(flags);
        return new Fault("agent " + (kill ? "SIGKILL" : "SIGTERM") + " + restart", n, t0, 0);
      }
      default -> {
        int n = rnd.nextInt(4);
        Cmd.in(c.nodes().get(n).ns(), "ip", "link", "del", "flannel.1");
        return new Fault("flannel.1 deleted", n, t0, 0);
      }
    }
  }
}
