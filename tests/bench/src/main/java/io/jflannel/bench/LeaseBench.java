package io.jflannel.bench;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseStoreOptions;
import io.jflannel.lease.LeaseWatcher;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.lease.etcd.EtcdOptions;
import io.jflannel.lease.memory.InMemoryLeaseRegistry;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.testing.LocalEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Lease store figures: 255 acquisitions from 16 concurrent clients, and watch latency (put →
 * listener) over 1000 events; a real etcd (Debian's, on loopback in a private namespace) beside the
 * in-memory registry.
 */
public final class LeaseBench {
  static final NetworkConfig CONFIG = NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\"}");
  static final String ETCD = "http://127.0.0.1:23790";

  private LeaseBench() {}

  /** Entry point: {@code [rounds]}. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    LocalEtcd etcd = new LocalEtcd(23790); // ETCD
    try {
      Function<String, LeaseRegistry> etcdReg =
          p ->
              EtcdLeaseRegistry.connect(
                  EtcdOptions.builder().endpoints(List.of(ETCD)).prefix(p).build());
      awaitEtcd(etcdReg);
      ConcurrentHashMap<String, InMemoryLeaseRegistry> mem = new ConcurrentHashMap<>();
      Function<String, LeaseRegistry> memReg =
          p -> mem.computeIfAbsent(p, InMemoryLeaseRegistry::new);
      double acqEtcd = best(rounds, r -> acquire(etcdReg, "/bench/acq" + r));
      double acqMem = best(rounds, r -> acquire(memReg, "/bench/acq" + r));
      double[] wEtcd = watchLatency(etcdReg.apply("/bench/watch"), etcdReg.apply("/bench/watch"));
      LeaseRegistry m = memReg.apply("/bench/watch");
      double[] wMem = watchLatency(m, m);
      double[] cli = cliLeases(etcdReg.apply("/bench/ctl"));
      System.out.printf(
          "%nlease store, %d cores, best of %d rounds for acquisitions%n%n",
          Runtime.getRuntime().availableProcessors(), rounds);
      System.out.printf("%-48s %12s %12s %10s%n", "what", "etcd", "in-memory", "etcd/mem");
      System.out.printf(
          "%-48s %10.1f ms %10.1f ms %9.1fx%n",
          "255 acquisitions, 16 concurrent clients", acqEtcd, acqMem, acqEtcd / acqMem);
      System.out.printf(
          "%-48s %10.2f ms %10.3f ms %9.1fx%n",
          "watch latency put->listener p50 (1000 events)", wEtcd[0], wMem[0], wEtcd[0] / wMem[0]);
      System.out.printf(
          "%-48s %10.2f ms %10.3f ms %9.1fx%n",
          "watch latency put->listener p99 (1000 events)", wEtcd[1], wMem[1], wEtcd[1] / wMem[1]);
      System.out.printf(
          "%-48s %10.0f ms%n", "jflanctl leases, 1000 leases, no CDS (best of 3)", cli[2]);
      System.out.printf(
          "%-48s %10.0f ms   CDS/no CDS %.2fx%n",
          "jflanctl leases, 1000 leases, AppCDS (best of 3)", cli[0], cli[0] / cli[2]);
      System.out.printf(
          "%-48s %10.0f ms   jflanctl/etcdctl %.1fx%n",
          "etcdctl get --prefix, 1000 leases (best of 3)", cli[1], cli[0] / cli[1]);
    } finally {
      etcd.close(); // before exiting: System.exit would skip it and leave etcd running
    }
    System.exit(0); // jetcd's pools are not daemons
  }

  interface Round {
    double run(int round) throws Exception;
  }

  static double best(int rounds, Round r) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      best = Math.min(best, r.run(i));
    }
    return best;
  }

  private static void awaitEtcd(Function<String, LeaseRegistry> reg) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (LeaseRegistry r = reg.apply("/bench")) {
        r.putNetworkConfig(CONFIG.json());
        return;
      } catch (RuntimeException e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("etcd did not start on " + ETCD);
  }

  /**
   * Wall time of `bin/jflanctl leases` and of `etcdctl get --prefix` over 1000 leases, best of 3
   * each.
   */
  static double[] cliLeases(LeaseRegistry r) throws Exception {
    for (int i = 0; i < 1000; i++) {
      Ipv4Net s =
          new Ipv4Net(new Ipv4Address(Ipv4Address.parse("10.244.0.0").value() + (i << 6)), 26);
      r.createLease(
          s, LeaseAttrs.of(Ipv4Address.parse("198.18.1.1"), "host-gw", null), Duration.ofHours(1));
    }
    String[] ctl = {
      "bin/jflanctl", "leases", "--etcd-endpoints=" + ETCD, "--etcd-prefix=/bench/ctl"
    };
    time(Map.of(), ctl); // warm-up (page cache)
    double cold = Double.MAX_VALUE;
    double cds = Double.MAX_VALUE;
    double etcdctl = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      cold = Math.min(cold, time(Map.of("JFLANCTL_CDS", "off"), ctl));
      // the archive the build dumped beside the jar from deploy/cds/jflannel.classlist
      cds = Math.min(cds, time(Map.of(), ctl));
      etcdctl =
          Math.min(
              etcdctl,
              time(
                  Map.of(),
                  "etcdctl",
                  "--endpoints",
                  ETCD,
                  "get",
                  "--prefix",
                  "/bench/ctl/subnets/"));
    }
    return new double[] {cds, etcdctl, cold};
  }

  private static double time(Map<String, String> env, String... cmd) throws Exception {
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0 || out.lines().count() < 1000) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " failed: " + out.lines().limit(5).toList());
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  /** 255 acquisitions spread over 16 clients, 16 at a time; milliseconds. */
  static double acquire(Function<String, LeaseRegistry> reg, String prefix) throws Exception {
    List<LeaseRegistry> clients = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      clients.add(reg.apply(prefix));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Lease>> fs = new ArrayList<>();
      for (int i = 0; i < 255; i++) {
        LeaseStore s = LeaseStore.create(clients.get(i % 16), LeaseStoreOptions.defaults());
        Ipv4Address ip = Ipv4Address.parse("198.18." + (i / 200) + "." + (i % 200 + 1));
        fs.add(
            pool.submit(
                () -> {
                  go.await();
                  return s.acquire(CONFIG, LeaseAttrs.of(ip, "host-gw", null), Optional.empty());
                }));
      }
      long t0 = System.nanoTime();
      go.countDown();
      for (Future<Lease> f : fs) {
        f.get(120, TimeUnit.SECONDS);
      }
      return (System.nanoTime() - t0) / 1e6;
    } finally {
      pool.shutdownNow();
      clients.forEach(
          c -> {
            if (!(c instanceof InMemoryLeaseRegistry)) {
              c.close();
            }
          });
    }
  }

  /** p50 and p99 (ms) from put to the watcher's listener, 1000 sequential puts. */
  static double[] watchLatency(LeaseRegistry watcherSide, LeaseRegistry writer) throws Exception {
    ConcurrentHashMap<Ipv4Net, Long> sent = new ConcurrentHashMap<>();
    double[] lat = new double[1000];
    CountDownLatch done = new CountDownLatch(1000);
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    CountDownLatch snap = new CountDownLatch(1);
    LeaseWatcher w =
        LeaseStore.create(watcherSide, LeaseStoreOptions.defaults())
            .watch(
                Ipv4Net.parse("10.99.0.0/24"),
                new LeaseWatcher.Listener() {
                  @Override
                  public void onSnapshot(List<Lease> peers) {
                    snap.countDown();
                  }

                  @Override
                  public void onEvents(List<LeaseEvent> events) {
                    long now = System.nanoTime();
                    for (LeaseEvent e : events) {
                      Long t = sent.get(e.lease().subnet());
                      if (t != null && e.type() == LeaseEvent.Type.ADDED) {
                        int i = n.getAndIncrement();
                        if (i < lat.length) {
                          lat[i] = (now - t) / 1e6;
                          done.countDown();
                        }
                      }
                    }
                  }
                },
                null);
    try {
      snap.await(30, TimeUnit.SECONDS);
      for (int i = 0; i < 1000; i++) {
        Ipv4Net s =
            new Ipv4Net(new Ipv4Address(Ipv4Address.parse("10.200.0.0").value() + (i << 6)), 26);
        sent.put(s, System.nanoTime());
        writer.createLease(
            s,
            LeaseAttrs.of(Ipv4Address.parse("198.18.9.9"), "host-gw", null),
            Duration.ofHours(1));
      }
      if (!done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("only " + n.get() + " of 1000 events arrived");
      }
    } finally {
      w.close();
    }
    Arrays.sort(lat);
    return new double[] {lat[499], lat[989]};
  }
}
