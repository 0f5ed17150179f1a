package io.jflannel.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local demo cluster ({@code ./scripts/demo}): N nodes in network namespaces on one machine, an
 * embedded etcd, a real jflanneld per node, two containers per node; prints the leases, a
 * reachability matrix and one packet path, then stays up until Ctrl-C (or, with {@code --once},
 * exits non-zero if any pair failed). Always tears down what it built.
 */
public final class Demo {
  private static final Path LOCK = Path.of("/run/jflannel-demo.lock");
  private final PrintStream out;
  private String backend = "vxlan";
  private int nodes = 3;
  private boolean once;
  private String etcd; // an external etcd, or null for our own
  private boolean docker; // real dockerd per node instead of hand-made containers
  private Path jar;

  Demo(PrintStream out) {
    this.out = out;
  }

  /** A demo printing to {@code out}. */
  public static Demo create(PrintStream out) {
    return new Demo(out);
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new Demo(System.out).run(args));
  }

  /** Runs the demo; returns the exit code. */
  public int run(String[] args) {
    try {
      parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      return 2;
    }
    try (FileChannel ch =
            FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock()) {
      if (lock == null) {
        System.err.println(
            "demo: another demo is running on this machine (lock " + LOCK + "); stop it first");
        return 3;
      }
      return runLocked();
    } catch (IOException e) {
      System.err.println("demo: " + e.getMessage());
      return 1;
    }
  }

  private void parse(String[] args) {
    jar =
        Path.of(
            System.getProperty(
                "jflannel.agent.jar", "agent/target/jflannel-agent-0.1.0-SNAPSHOT-all.jar"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--backend" -> backend = value(args, ++i);
        case "--nodes" -> nodes = parseInt(value(args, ++i));
        case "--once" -> once = true;
        case "--docker" -> docker = true;
        case "--etcd-endpoints" -> etcd = EtcdBridge.check(value(args, ++i));
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + " (use --backend vxlan|host-gw|udp, --nodes N, --once, --docker, --etcd-endpoints http://HOST:PORT)");
      }
    }
    if (!List.of("vxlan", "host-gw", "udp").contains(backend)) {
      throw new IllegalArgumentException("--backend " + backend + ": choose vxlan, host-gw or udp");
    }
    if (nodes < 2 || nodes > 9) {
      throw new IllegalArgumentException("--nodes must be between 2 and 9");
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--nodes " + s + " is not a number");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private int runLocked() throws IOException {
    long t0 = System.nanoTime();
    step(
        1,
        "building "
            + nodes
            + " nodes, an etcd and an external host in network namespaces (underlay 198.18.0.0/24)");
    Map<String, String> ips = new LinkedHashMap<>();
    Map<String, Node> nodeOf = new LinkedHashMap<>();
    Map<String, List<String>> enter = new LinkedHashMap<>();
    try (NetnsCluster c =
            new NetnsCluster(
                nodes,
                jar,
                "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"" + backend + "\"}}",
                etcd);
        DemoDocker dockers = new DemoDocker()) { // closed first: its daemons live in c's nodes
      if (etcd != null) {
        out.printf(
            "      etcd: yours at %s, reached through a unix-socket bridge; keys under %s, deleted at"
                + " the end%n",
            etcd, c.etcdPrefix());
      }
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                out.println("\ntearing down...");
                stop.countDown();
                try {
                  dockers.close();
                } catch (IOException e) {
                  out.println("tearing down docker: " + e.getMessage());
                }
                c.close();
              });
      Runtime.getRuntime().addShutdownHook(hook);
      step(2, "starting jflanneld (" + backend + ") on every node at once");
      for (Node n : c.nodes()) {
        n.startAgent();
      }
      if (docker) {
        step(
            3,
            "a real dockerd per node, started after jflanneld with `jflanctl docker-opts --wait`"
                + " (as the docker.service drop-in), two `docker run` containers each:");
        dockers.start(c, out, ips, enter);
        c.nodes().forEach(n -> nodeOf.put("node" + (c.nodes().indexOf(n) + 1) + "/c1", n));
      }
      if (!docker) {
        step(
            3,
            "waiting for leases; creating two containers per node on its cni0 bridge (address from"
                + " subnet.env, as docker --bip)");
      }
      for (Node n : docker ? List.<Node>of() : c.nodes()) {
        String bip = n.awaitSubnet(60_000);
        out.printf("      %s  %s  subnet.env FLANNEL_SUBNET=%s%n", n.ns(), n.address(), bip);
        for (int h = 10; h <= 11; h++) {
          String ip = n.addContainer(bip, h);
          String name = "node" + (c.nodes().indexOf(n) + 1) + "/c" + (h - 9);
          ips.put(name, ip);
          nodeOf.put(name, n);
          enter.put(
              name, List.of("ip", "netns", "exec", n.containers().get(n.containers().size() - 1)));
        }
      }
      step(4, "leases in etcd: jflanctl leases");
      printLeases(c);
      step(5, "container-to-container reachability (ping)");
      int failed = matrix(ips, enter);
      step(6, "packet path for one pair");
      List<String> names = new ArrayList<>(ips.keySet());
      path(
          c, nodeOf.get(names.get(0)), ips.get(names.get(0)), ips.get(names.get(names.size() - 1)));
      out.printf(
          "%n%s: %d pairs unreachable; cluster up in %.1f s%n",
          failed == 0 ? "OK" : "FAILED", failed, (System.nanoTime() - t0) / 1e9);
      if (once) {
        Runtime.getRuntime().removeShutdownHook(hook);
        return failed == 0 ? 0 : 1;
      }
      out.println(
          "the cluster stays up; try: "
              + String.join(" ", enter.get(names.get(0)))
              + " ping "
              + ips.get(names.get(names.size() - 1))
              + "\npress Ctrl-C to tear everything down");
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  private void step(int n, String what) {
    out.printf("[%d/6] %s%n", n, what);
  }

  private void printLeases(NetnsCluster c) {
    c.jflanctl("leases").lines().forEach(l -> out.println("      " + l));
  }

  private int matrix(Map<String, String> ips, Map<String, List<String>> enter) {
    List<String> names = new ArrayList<>(ips.keySet());
    StringBuilder head = new StringBuilder(String.format("      %-22s", "from \\ to"));
    names.forEach(n -> head.append(String.format(" %-9s", n)));
    out.println(head);
    int failed = 0;
    for (String from : names) {
      StringBuilder row =
          new StringBuilder(String.format("      %-22s", from + " " + ips.get(from)));
      for (String to : names) {
        if (from.equals(to)) {
          row.append(String.format(" %-9s", "."));
          continue;
        }
        List<String> ping = new ArrayList<>(enter.get(from));
        ping.addAll(List.of("ping", "-c", "1", "-W", "1", ips.get(to)));
        boolean ok = false;
        for (int attempt = 0; attempt < 5 && !ok; attempt++) {
          ok = Cmd.run(ping, 10).exit() == 0;
        }
        failed += ok ? 0 : 1;
        row.append(String.format(" %-9s", ok ? "ok" : "FAIL"));
      }
      out.println(row);
    }
    return failed;
  }

  private void path(NetnsCluster c, Node n, String from, String to) {
    out.printf("      %s -> %s, leaving %s (%s):%n", from, to, n.ns(), n.address());
    out.println(
        "      "
            + Cmd.in(
                    n.ns(),
                    "ip",
                    "route",
                    "get",
                    to,
                    "from",
                    from,
                    "iif",
                    docker ? "docker0" : "cni0")
                .lines()
                .findFirst()
                .orElse("")
                .strip());
    if (backend.equals("vxlan")) {
      String base = to.substring(0, to.lastIndexOf('.')) + ".0";
      out.println(
          "      neighbour: "
              + Cmd.in(n.ns(), "ip", "neigh", "show", base, "dev", "flannel.1").strip());
      String mac = Cmd.in(n.ns(), "ip", "neigh", "show", base, "dev", "flannel.1").split(" ")[2];
      Cmd.in(n.ns(), "bridge", "fdb", "show", "dev", "flannel.1")
          .lines()
          .filter(l -> l.startsWith(mac))
          .forEach(
              l -> out.println("      fdb:       " + l.strip() + "   (UDP 8472 to that node)"));
    }
    if (backend.equals("udp")) {
      String prefix = to.substring(0, to.lastIndexOf('.') + 1);
      for (Node peer : c.nodes()) {
        String env = Cmd.in(peer.ns(), "cat", peer.subnetFile().toString());
        if (env.contains("FLANNEL_SUBNET=" + prefix)) {
          out.printf(
              "      flannel0 is a TUN device: jflanneld reads the packet, finds %s0/24 at %s in"
                  + " its table (from the lease)%n      and sends it as the whole payload of a UDP"
                  + " datagram %s:8285 -> %s:8285; %s writes it to its flannel0%n",
              prefix, peer.address(), n.address(), peer.address(), peer.ns());
        }
      }
    }
  }
}
