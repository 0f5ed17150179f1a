package io.jflannel.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One JVM of the fleet simulation: {@code count} {@link FleetNode}s from {@code first}. Talks to
 * {@link FleetBench} by lines: prints {@code ready}, {@code seen KEY t1,t2,…} (nanoTimes at which
 * each of its nodes programmed a probe lease under 10.244.255.) and {@code stats RSS_KIB THREADS
 * LOST}; reads {@code probe on|off} (the previous release's per-node reads, simulated), {@code
 * stats} and {@code quit}.
 */
public final class FleetWorker {
  private FleetWorker() {}

  /** Entry point: {@code ENDPOINTS FIRST COUNT}. */
  public static void main(String[] args) throws Exception {
    String endpoints = args[0];
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    Map<String, AtomicLongArray> seen = new ConcurrentHashMap<>();
    List<FleetNode> nodes = new ArrayList<>();
    ExecutorService starts = Executors.newFixedThreadPool(8);
    List<Future<FleetNode>> f = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int slot = i;
      f.add(
          starts.submit(
              () ->
                  new FleetNode(
                      endpoints,
                      first + slot,
                      (key, t) -> {
                        if (key.startsWith("10.244.255.")) {
                          AtomicLongArray a =
                              seen.computeIfAbsent(key, k -> new AtomicLongArray(count));
                          if (a.compareAndSet(slot, 0, t) && complete(a)) {
                            report(key, a);
                          }
                        }
                      })));
    }
    for (Future<FleetNode> x : f) {
      nodes.add(x.get());
    }
    starts.shutdown();
    for (FleetNode n : nodes) {
      n.synced.await();
    }
    System.out.println("ready " + count);
    ScheduledExecutorService probes = Executors.newScheduledThreadPool(2);
    List<ScheduledFuture<?>> running = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
      switch (line) {
        case "probe on" -> {
          for (FleetNode n : nodes) {
            long phase = ThreadLocalRandom.current().nextLong(1000);
            running.add(
                probes.scheduleAtFixedRate(
                    () -> quietly(n::probe), phase, 1000, TimeUnit.MILLISECONDS));
          }
        }
        case "probe off" -> {
          running.forEach(r -> r.cancel(false));
          running.clear();
        }
        case "stats" -> System.out.println(stats(nodes));
        default -> System.out.println("error unknown command " + line);
      }
    }
    probes.shutdownNow();
    nodes.parallelStream().forEach(FleetNode::close);
    System.exit(0);
  }

  private static boolean complete(AtomicLongArray a) {
    for (int i = 0; i < a.length(); i++) {
      if (a.get(i) == 0) {
        return false;
      }
    }
    return true;
  }

  private static synchronized void report(String key, AtomicLongArray a) {
    StringJoiner j = new StringJoiner(",");
    for (int i = 0; i < a.length(); i++) {
      j.add(Long.toString(a.get(i)));
    }
    System.out.println("seen " + key + " " + j);
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // an outage: the previous release's probe failed the same way
    }
  }

  private static String stats(List<FleetNode> nodes) throws Exception {
    long pid = ProcessHandle.current().pid();
    long rss = io.jflannel.testing.ProcStat.status(pid, "VmRSS:");
    long threads = io.jflannel.testing.ProcStat.status(pid, "Threads:");
    long lost = nodes.stream().filter(n -> n.lost).count();
    return "stats " + rss + " " + threads + " " + lost;
  }
}
