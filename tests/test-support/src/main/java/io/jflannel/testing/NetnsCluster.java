package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * N nodes in network namespaces joined by an underlay bridge (198.18.0.0/24), an etcd member
 * (Debian's /usr/bin/etcd) at 198.18.0.250, an external host at 198.18.0.200, and per node a cni0
 * bridge with two containers behind veth pairs and FORWARD policy DROP (as Docker sets it). Agents
 * are real jflanneld processes. Everything is removed by {@link #close()}, also after failures.
 */
public final class NetnsCluster implements AutoCloseable {
  /** The etcd member's client URL, reachable from node namespaces. */
  public static final String ETCD = "http://198.18.0.250:2379";

  /** The external host's address. */
  public static final String EXTERNAL = "198.18.0.200";

  private final String prefix =
      "jf" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  private final Path dir;
  private final Path agentJar;
  private boolean optimizingCompiler;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final String externalEtcd;
  private final String etcdPrefix;
  private final int etcdCount;
  private EtcdMembers etcd;
  private EtcdBridge bridge;

  /** Builds the topology (no agents yet) and starts etcd with the given network config. */
  public NetnsCluster(int nodeCount, Path agentJar, String networkConfig) throws IOException {
    this(nodeCount, agentJar, networkConfig, null);
  }

  /**
   * The same on an existing etcd ({@code http://host:port}, reached from the root namespace)
   * instead of one of our own: 198.18.0.250:2379 forwards to it through a unix socket (socat, no
   * route between the namespaces), and the cluster's keys live under a prefix of this run, deleted
   * on close.
   */
  public NetnsCluster(int nodeCount, Path agentJar, String networkConfig, String externalEtcd)
      throws IOException {
    this(nodeCount, agentJar, networkConfig, externalEtcd, 1);
  }

  /** The same with {@code etcdCount} etcd members at 198.18.0.250, .251, ... (no external etcd). */
  public NetnsCluster(int nodeCount, Path agentJar, String networkConfig, int etcdCount)
      throws IOException {
    this(nodeCount, agentJar, networkConfig, null, etcdCount);
  }

  private NetnsCluster(
      int nodeCount, Path agentJar, String networkConfig, String externalEtcd, int etcdCount)
      throws IOException {
    this.agentJar = agentJar;
    this.optimizingCompiler = networkConfig.matches("(?s).*\"Type\"\\s*:\\s*\"udp\".*");
    this.etcdCount = externalEtcd == null ? etcdCount : 1;
    this.externalEtcd = externalEtcd == null ? null : EtcdBridge.check(externalEtcd);
    this.etcdPrefix =
        externalEtcd == null ? "/coreos.com/network" : "/jflannel-demo-" + prefix + "/network";
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalStateException(
          "agent jar not found: " + agentJar + " (mvn package builds it)");
    }
    this.dir = Files.createTempDirectory("jflannel-" + prefix);
    try {
      String ul = ns("ul");
      Cmd.in(ul, "ip", "link", "add", "br0", "type", "bridge");
      Cmd.in(ul, "ip", "link", "set", "br0", "up");
      List<String> etcdNs = new ArrayList<>();
      for (int i = 0; i < this.etcdCount; i++) {
        etcdNs.add(attach(i == 0 ? "etcd" : "etcd" + i, EtcdMembers.address(i)));
      }
      etcd = new EtcdMembers(etcdNs, dir);
      attach("ext", EXTERNAL);
      for (int i = 1; i <= nodeCount; i++) {
        String n = attach("n" + i, "198.18.0." + (10 + i));
        Cmd.in(n, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        Cmd.in(n, "iptables", "-P", "FORWARD", "DROP");
        Cmd.in(n, "ip", "link", "add", "cni0", "type", "bridge");
        Cmd.in(n, "ip", "link", "set", "cni0", "up");
        nodes.add(new Node(this, i, n, "198.18.0." + (10 + i), dir.resolve("n" + i)));
      }
      startEtcd(networkConfig);
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  private String ns(String name) {
    String n = prefix + name;
    Cmd.ok("ip", "netns", "add", n);
    namespaces.add(n);
    Cmd.in(n, "ip", "link", "set", "lo", "up");
    return n;
  }

  /** A namespace with eth0 on the underlay bridge. */
  private String attach(String name, String address) {
    String n = ns(name);
    String port = "p" + name;
    Cmd.ok(
        "ip",
        "-n",
        prefix + "ul",
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        n);
    Cmd.ok("ip", "-n", prefix + "ul", "link", "set", port, "master", "br0", "up");
    Cmd.in(n, "ip", "addr", "add", address + "/24", "dev", "eth0");
    Cmd.in(n, "ip", "link", "set", "eth0", "up");
    return n;
  }

  private void startEtcd(String config) throws IOException {
    startEtcd();
    etcdctl("put", etcdPrefix + "/config", config);
  }

  /**
   * Starts (or restarts, keeping their data) the etcd members — or the bridge to the external etcd
   * — and waits until etcd is healthy.
   */
  public void startEtcd() throws IOException {
    if (externalEtcd != null) {
      bridge =
          EtcdBridge.start(
              prefix + "etcd", dir.resolve("etcd.sock"), externalEtcd, dir.resolve("etcd.log"));
      awaitEtcd();
      return;
    }
    etcd.startAll();
    awaitEtcd();
  }

  private void awaitEtcd() {
    if (bridge == null) {
      etcd.awaitHealthy();
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cmd.run(etcdctlCommand("endpoint", "health"), 10).exit() != 0) {
      if (System.nanoTime() > deadline || !bridge.isAlive()) {
        throw new IllegalStateException(
            "the etcd at "
                + externalEtcd
                + " did not become healthy; log: "
                + dir.resolve("etcd.log"));
      }
      sleep(200);
    }
  }

  /**
   * Gives the (first) etcd member the IPv6 underlay address {@code address} and has it serve
   * clients there too (restarted with its data); returns that client URL, {@code
   * http://[address]:2379}.
   */
  public String etcdIpv6(String address) throws IOException, InterruptedException {
    Cmd.in(etcdNamespace(), "ip", "addr", "add", address + "/64", "dev", "eth0", "nodad");
    String url = "http://[" + address + "]:2379";
    etcd.listenAlso(url);
    etcd.kill(0);
    etcd.start(0);
    awaitEtcd();
    return url;
  }

  /** Stops every etcd member, or the bridge to it (SIGKILL: an outage, not a clean leave). */
  public void stopEtcd() throws InterruptedException {
    if (bridge != null) {
      bridge.stop();
    } else {
      etcd.killAll();
    }
  }

  /** The etcd members (kill, restart, pause one; find the leader). */
  public EtcdMembers etcdMembers() {
    return etcd;
  }

  /**
   * Whether agents start with the optimizing compiler ({@link Node#UDP_JVM_FLAGS}), as
   * bin/jflanneld starts a udp node: true when the cluster's network config has the udp backend.
   */
  public boolean optimizingCompiler() {
    return optimizingCompiler;
  }

  /** Agents started from now on run with the optimizing compiler, or C1 only (benchmarks). */
  public void optimizingCompiler(boolean on) {
    optimizingCompiler = on;
  }

  /** What agents are given as --etcd-endpoints. */
  public String etcdEndpoints() {
    return bridge != null || externalEtcd != null ? ETCD : etcd.endpoints();
  }

  /** The etcd prefix of this cluster's keys ({@code /coreos.com/network} unless external). */
  public String etcdPrefix() {
    return etcdPrefix;
  }

  /** Runs etcdctl (v3 API) against the cluster's etcd. */
  public String etcdctl(String... args) {
    Cmd.Result r = Cmd.run(etcdctlCommand(args), 30);
    if (r.exit() != 0) {
      throw new IllegalStateException("etcdctl " + String.join(" ", args) + ": " + r.out());
    }
    return r.out();
  }

  private List<String> etcdctlCommand(String... args) {
    if (externalEtcd == null) {
      return etcd.etcdctl(List.of(args));
    }
    List<String> cmd =
        new ArrayList<>(
            List.of("ip", "netns", "exec", prefix + "etcd", "etcdctl", "--endpoints", ETCD));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * The jflanctl command lines whose classes the class-data archive is recorded from and checked
   * for ({@code ./scripts/cds-classlist}, AgentFootprintIT): {@code leases} against this cluster's
   * etcd and {@code status} against {@code n}'s admin socket.
   */
  public List<List<String>> archivedJflanctlCommands(Node n) {
    return List.of(
        List.of("leases", "--etcd-endpoints=" + etcdEndpoints(), "--etcd-prefix=" + etcdPrefix),
        List.of("status", "--socket=" + n.adminSocket()));
  }

  /**
   * Runs jflanctl (from the agent jar) against the cluster's etcd; must succeed; returns its
   * output.
   */
  public String jflanctl(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                prefix + "etcd",
                "java",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                agentJar.toString(),
                "io.jflannel.ctl.Jflanctl"));
    cmd.addAll(List.of(args));
    cmd.add("--etcd-endpoints=" + etcdEndpoints());
    cmd.add("--etcd-prefix=" + etcdPrefix);
    Cmd.Result r = Cmd.run(cmd, 60);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "jflanctl " + String.join(" ", args) + " exited " + r.exit() + ": " + r.out());
    }
    return r.out();
  }

  /** The nodes, 1-based names n1..nN. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The namespace of the etcd member (where etcdctl and bursts run). */
  public String etcdNamespace() {
    return prefix + "etcd";
  }

  /** The namespace of the external host. */
  public String externalNamespace() {
    return prefix + "ext";
  }

  /** The run's prefix (namespace names start with it). */
  public String prefix() {
    return prefix;
  }

  Path agentJar() {
    return agentJar;
  }

  List<String> namespaces() {
    return namespaces;
  }

  /** Sleeps, turning an interrupt into an unchecked failure (fixtures and benchmarks). */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    Pinger.closeAll(); // a test that failed while pinging left its pinger running
    for (Node n : nodes) {
      n.stopAgent(true);
    }
    if (bridge != null && bridge.isAlive()) {
      String top = etcdPrefix.substring(0, etcdPrefix.lastIndexOf('/') + 1);
      Cmd.run(etcdctlCommand("del", "--prefix", top), 30); // best effort: keys of this run only
    }
    if (etcd != null) {
      etcd.close();
    }
    if (bridge != null) {
      bridge.stop();
    }
    for (String n : namespaces) {
      Cmd.run(List.of("ip", "netns", "del", n), 30);
    }
    Cmd.run(List.of("rm", "-rf", dir.toString()), 30);
  }
}
