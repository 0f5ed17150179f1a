package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's floor for a cold start: {@code ip -batch} (and {@code bridge -batch} for vxlan's
 * FDB) installing the same objects the agent installs for {@code count} peers, into a fresh
 * namespace laid out like a node (eth0 198.18.0.10/24, flannel.1 for vxlan). Processes' start
 * included, as a script doing the same would pay it.
 */
final class IpBatchFloor {
  private IpBatchFloor() {}

  /** Milliseconds {@code ip -batch} takes for {@code count} peers of {@code backend}. */
  static double millis(String ns, String backend, int count) throws IOException {
    Cmd.ok("ip", "netns", "add", ns);
    Path ip = Files.createTempFile("jflannel-floor", ".ip");
    Path br = Files.createTempFile("jflannel-floor", ".bridge");
    try {
      Cmd.in(ns, "ip", "link", "set", "lo", "up");
      Cmd.in(ns, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
      Cmd.in(ns, "ip", "link", "set", "eth0p", "up");
      Cmd.in(ns, "ip", "link", "set", "eth0", "up");
      Cmd.in(ns, "ip", "addr", "add", "198.18.0.10/24", "dev", "eth0");
      Cmd.in(ns, "ip", "route", "add", "198.18.0.0/16", "dev", "eth0"); // as BurstPutter.onLink
      boolean vxlan = "vxlan".equals(backend);
      if (vxlan) {
        Cmd.in(
            ns,
            "ip",
            "link",
            "add",
            "flannel.1",
            "type",
            "vxlan",
            "id",
            "1",
            "local",
            "198.18.0.10",
            "dev",
            "eth0",
            "dstport",
            "8472",
            "nolearning");
        Cmd.in(ns, "ip", "link", "set", "flannel.1", "up");
        Cmd.in(ns, "ip", "addr", "add", "10.244.255.0/32", "dev", "flannel.1");
      }
      StringBuilder ipBatch = new StringBuilder();
      StringBuilder brBatch = new StringBuilder();
      for (int i = 0; i < count; i++) {
        String s = BurstPutter.subnet(i);
        if (vxlan) {
          String mac = String.format("0a:58:02:%02x:%02x:01", i >> 8, i & 0xff);
          ipBatch
              .append("neigh replace ")
              .append(s)
              .append(" lladdr ")
              .append(mac)
              .append(" dev flannel.1 nud permanent\n");
          brBatch
              .append("fdb replace ")
              .append(mac)
              .append(" dev flannel.1 dst ")
              .append(BurstPutter.publicIp(i))
              .append(" self permanent\n");
        }
      }
      for (int i = 0; i < count; i++) {
        String s = BurstPutter.subnet(i);
        ipBatch
            .append("route replace ")
            .append(s)
            .append("/29 via ")
            .append(vxlan ? s : BurstPutter.publicIp(i))
            .append(vxlan ? " dev flannel.1 onlink" : " dev eth0")
            .append(" proto 121\n");
      }
      Files.writeString(ip, ipBatch);
      Files.writeString(br, brBatch);
      long t0 = System.nanoTime();
      if (vxlan) {
        Cmd.ok("bridge", "-n", ns, "-batch", br.toString());
      }
      Cmd.ok("ip", "-n", ns, "-batch", ip.toString());
      double ms = (System.nanoTime() - t0) / 1e6;
      long routes = Cmd.in(ns, "ip", "route", "show", "proto", "121").lines().count();
      if (routes != count) {
        throw new IllegalStateException(
            "ip -batch installed " + routes + " of " + count + " routes");
      }
      return ms;
    } finally {
      Files.deleteIfExists(ip);
      Files.deleteIfExists(br);
      Cmd.run(java.util.List.of("ip", "netns", "del", ns), 30);
    }
  }
}
