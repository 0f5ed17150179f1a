package io.jflannel.bench;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Batch;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.LinkSpec;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.VxlanInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Programs N vxlan peers (neighbour + FDB + route each) and N host-gw routes three ways in one run:
 * our batched netlink, {@code ip -batch} (+ {@code bridge -batch} for FDB), and one {@code ip}
 * process per route. Must run in a fresh network namespace (scripts/bench does {@code unshare
 * --net}).
 */
public final class NetlinkBench {
  private NetlinkBench() {}

  /** Entry point: {@code [peers] [rounds]}. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (n < 1 || n > 16000) {
      throw new IllegalArgumentException("peers must be in [1, 16000]: " + n);
    }
    if (run("ip", "-o", "link", "show").lines().count() != 1) {
      throw new IllegalStateException(
          "run me in a fresh network namespace (unshare --net): found more links than lo");
    }
    try (Netlink nl = Netlink.open()) {
      Link eth = nl.createLink(LinkSpec.veth("eth0", "eth0p"));
      nl.setUp(nl.link("eth0p").orElseThrow().index(), true);
      nl.setUp(eth.index(), true);
      nl.replace(new Address(eth.index(), Ipv4Address.parse("198.18.0.1"), 16));
      Link vx =
          nl.createLink(
              LinkSpec.vxlan(
                  "flannel.1",
                  new VxlanInfo(1, Ipv4Address.parse("198.18.0.1"), 8472, eth.index(), false),
                  1450,
                  null));
      nl.setUp(vx.index(), true);
      nl.replace(new Address(vx.index(), Ipv4Address.parse("10.244.0.0"), 32));

      List<String[]> rows = new ArrayList<>();
      double jv = best(rounds, () -> vxlanNetlink(nl, vx.index(), n), () -> clean(nl, vx.index()));
      double bv = best(rounds, () -> vxlanIpBatch(n), () -> clean(nl, vx.index()));
      double jh =
          best(rounds, () -> hostGwNetlink(nl, eth.index(), n), () -> clean(nl, vx.index()));
      double bh = best(rounds, () -> hostGwIpBatch(n), () -> clean(nl, vx.index()));
      double ph = best(1, () -> hostGwPerProcess(n), () -> clean(nl, vx.index()));
      rows.add(row("vxlan peers (neigh+fdb+route)", n * 3, jv, bv, Double.NaN));
      rows.add(row("host-gw routes", n, jh, bh, ph));
      System.out.printf(
          "%nnetlink programming, %d peers, best of %d rounds (per-process: 1 round), %d cores%n%n",
          n, rounds, Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "%-32s %8s %12s %12s %14s %10s %12s%n",
          "what",
          "objects",
          "jflannel ms",
          "ip -batch ms",
          "ip/route ms",
          "batch/jfl",
          "process/jfl");
      for (String[] r : rows) {
        System.out.printf("%-32s %8s %12s %12s %14s %10s %12s%n", (Object[]) r);
      }
      System.out.printf(
          "%ntarget: %d vxlan peers <= 500 ms and not slower than ip -batch: %s%n",
          n, jv <= 500 && jv <= bv ? "MET" : "NOT MET");
    }
  }

  private static String[] row(
      String what, int objects, double ours, double batch, double perProcess) {
    return new String[] {
      what,
      Integer.toString(objects),
      fmt(ours),
      fmt(batch),
      fmt(perProcess),
      String.format("%.1fx", batch / ours),
      Double.isNaN(perProcess) ? "-" : String.format("%.1fx", perProcess / ours)
    };
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.1f", v);
  }

  interface Step {
    void run() throws Exception;
  }

  private static double best(int rounds, Step step, Step cleanup) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      step.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
      cleanup.run();
    }
    return best;
  }

  static Ipv4Net subnet(int i) {
    return new Ipv4Net(new Ipv4Address(Ipv4Address.parse("10.0.0.0").value() + ((i + 1) << 8)), 24);
  }

  static Ipv4Address vtep(int i) {
    return new Ipv4Address(Ipv4Address.parse("198.18.0.0").value() + i + 2);
  }

  static MacAddress mac(int i) {
    return new MacAddress(new byte[] {0x0a, 0x58, 0, 0, (byte) (i >> 8), (byte) i});
  }

  private static void vxlanNetlink(Netlink nl, int vx, int n) {
    Batch b = nl.batch();
    for (int i = 0; i < n; i++) {
      Ipv4Net s = subnet(i);
      b.replace(Neighbour.permanent(vx, s.address(), mac(i)));
      b.replace(new FdbEntry(vx, mac(i), vtep(i)));
      b.replace(Route.via(s, s.address(), vx, true));
    }
    b.execute();
  }

  private static void hostGwNetlink(Netlink nl, int eth, int n) {
    Batch b = nl.batch();
    for (int i = 0; i < n; i++) {
      b.replace(Route.via(subnet(i), vtep(i), eth, false));
    }
    b.execute();
  }

  private static void vxlanIpBatch(int n) throws IOException {
    StringBuilder ip = new StringBuilder();
    StringBuilder br = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Ipv4Net s = subnet(i);
      ip.append("neigh replace ")
          .append(s.address())
          .append(" lladdr ")
          .append(mac(i))
          .append(" dev flannel.1 nud permanent\n");
      br.append("fdb replace ")
          .append(mac(i))
          .append(" dev flannel.1 dst ")
          .append(vtep(i))
          .append(" self permanent\n");
      ip.append("route replace ")
          .append(s)
          .append(" via ")
          .append(s.address())
          .append(" dev flannel.1 onlink proto 121\n");
    }
    Path fi = Files.createTempFile("jfl-ip", ".batch");
    Path fb = Files.createTempFile("jfl-br", ".batch");
    try {
      Files.writeString(fi, ip);
      Files.writeString(fb, br);
      run("ip", "-batch", fi.toString());
      run("bridge", "-batch", fb.toString());
    } finally {
      Files.deleteIfExists(fi);
      Files.deleteIfExists(fb);
    }
  }

  private static void hostGwIpBatch(int n) throws IOException {
    StringBuilder ip = new StringBuilder();
    for (int i = 0; i < n; i++) {
      ip.append("route replace ")
          .append(subnet(i))
          .append(" via ")
          .append(vtep(i))
          .append(" dev eth0 proto 121\n");
    }
    Path f = Files.createTempFile("jfl-ip", ".batch");
    try {
      Files.writeString(f, ip);
      run("ip", "-batch", f.toString());
    } finally {
      Files.deleteIfExists(f);
    }
  }

  private static void hostGwPerProcess(int n) {
    for (int i = 0; i < n; i++) {
      run(
          "ip",
          "route",
          "replace",
          subnet(i).toString(),
          "via",
          vtep(i).toString(),
          "dev",
          "eth0",
          "proto",
          "121");
    }
  }

  private static void clean(Netlink nl, int vx) {
    Batch b = nl.batch();
    nl.routes(Route.TABLE_MAIN).stream()
        .filter(r -> r.protocol() == Route.PROTOCOL_JFLANNEL)
        .forEach(b::delete);
    nl.neighbours(vx).forEach(b::delete);
    nl.fdb(vx).forEach(b::delete);
    b.execute();
    if (!nl.routes(Route.TABLE_MAIN).stream()
        .noneMatch(r -> r.protocol() == Route.PROTOCOL_JFLANNEL)) {
      throw new IllegalStateException("cleanup left routes behind");
    }
  }

  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
