package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.EtcdCounters;
import io.jflannel.testing.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Debian's etcd as {@code size} members on this namespace's loopback (clients on 23800 + 10 i,
 * peers on the next port), with data kept across {@link #killAll} and {@link #startAll}: the fleet
 * benchmark's store, its gRPC counters and its CPU and memory.
 */
final class FleetEtcd implements AutoCloseable {
  private final int size;
  private final Path data;
  private final Process[] members;
  private final double[] cpuBefore;

  FleetEtcd(int size) throws IOException {
    this.size = size;
    this.data = Files.createTempDirectory("jflannel-fleet-etcd");
    this.members = new Process[size];
    this.cpuBefore = new double[size];
    startAll();
  }

  String endpoints() {
    List<String> e = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      e.add(client(i));
    }
    return String.join(",", e);
  }

  private static String client(int i) {
    return "http://127.0.0.1:" + (23800 + 10 * i);
  }

  private static String peer(int i) {
    return "http://127.0.0.1:" + (23801 + 10 * i);
  }

  void startAll() throws IOException {
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < size; i++) {
      cluster.append(i == 0 ? "" : ",").append("m").append(i).append('=').append(peer(i));
    }
    for (int i = 0; i < size; i++) {
      cpuBefore[i] += members[i] == null ? 0 : cpuSeconds(members[i]);
      members[i] =
          new ProcessBuilder(
                  "etcd",
                  "--name",
                  "m" + i,
                  "--data-dir",
                  data.resolve("m" + i).toString(),
                  "--listen-client-urls",
                  client(i),
                  "--advertise-client-urls",
                  client(i),
                  "--listen-peer-urls",
                  peer(i),
                  "--initial-advertise-peer-urls",
                  peer(i),
                  "--initial-cluster",
                  cluster.toString(),
                  "--quota-backend-bytes",
                  "4294967296")
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(data.resolve("m" + i + ".log").toFile()))
              .start();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Cmd.run(List.of("etcdctl", "--endpoints", endpoints(), "endpoint", "health"), 10).exit()
        != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("etcd did not become healthy; logs in " + data);
      }
      sleep(100);
    }
  }

  void killAll() throws InterruptedException {
    for (int i = 0; i < size; i++) {
      cpuBefore[i] += cpuSeconds(members[i]);
      members[i].destroyForcibly();
      members[i].waitFor();
      members[i] = null;
    }
  }

  String etcdctl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoints()));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd, 60);
    if (r.exit() != 0) {
      throw new IllegalStateException("etcdctl " + String.join(" ", args) + ": " + r.out());
    }
    return r.out();
  }

  /** gRPC counters summed over the members: "handled unary Range" → count, …. */
  Map<String, Double> counters() {
    Map<String, Double> out = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      EtcdCounters.add(Cmd.run(List.of("curl", "-sf", client(i) + "/metrics"), 30).out(), out);
    }
    return out;
  }

  /** CPU seconds of every member since the first start, summed. */
  double cpuSeconds() {
    double s = 0;
    for (int i = 0; i < size; i++) {
      s += cpuBefore[i] + (members[i] == null ? 0 : cpuSeconds(members[i]));
    }
    return s;
  }

  /** RSS of the members now, summed, in MiB. */
  double rssMib() throws IOException {
    double kib = 0;
    for (Process p : members) {
      kib += ProcStat.status(p.pid(), "VmRSS:");
    }
    return kib / 1024;
  }

  private static double cpuSeconds(Process p) {
    try {
      return ProcStat.cpuTicks(p.pid()) / 100.0;
    } catch (IOException e) {
      return 0;
    }
  }

  static void sleep(long ms) {
    io.jflannel.testing.NetnsCluster.sleep(ms);
  }

  @Override
  public void close() throws Exception {
    for (Process p : members) {
      if (p != null) {
        p.destroyForcibly().waitFor();
      }
    }
    Cmd.run(List.of("rm", "-rf", data.toString()), 60);
  }
}
