package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One node of a {@link NetnsCluster}: its namespace, its jflanneld process and its containers. */
public final class Node {
  /**
   * The JVM flags bin/jflanneld ships for a node that has not run the udp backend (C1 only), used
   * for every agent the fixtures start ($JFLANNEL_JAVA_OPTS replaces them, as it does for
   * bin/jflanneld).
   */
  public static final List<String> AGENT_JVM_FLAGS =
      System.getenv("JFLANNEL_JAVA_OPTS") != null
          ? List.of(System.getenv("JFLANNEL_JAVA_OPTS").trim().split("\\s+"))
          : List.of(
              "-XX:+UseSerialGC",
              "-Xss512k",
              "-Xms16m",
              "-XX:NewSize=4m",
              "-XX:MaxNewSize=12m",
              "-Xmx64m",
              "-XX:MinHeapFreeRatio=10",
              "-XX:MaxHeapFreeRatio=30",
              "-XX:MaxMetaspaceSize=48m",
              "-XX:ReservedCodeCacheSize=16m",
              "-XX:TieredStopAtLevel=1",
              "-XX:CICompilerCount=1",
              "-XX:MaxDirectMemorySize=64m",
              "--add-opens=java.base/java.nio=ALL-UNNAMED",
              "-Dio.netty.tryReflectionSetAccessible=true");

  /**
   * What bin/jflanneld passes on a node that last ran the udp backend: the optimizing compiler (two
   * compiler threads, a 24 MiB code cache) instead of C1 only; the same as {@link #AGENT_JVM_FLAGS}
   * when $JFLANNEL_JAVA_OPTS replaces them.
   */
  public static final List<String> UDP_JVM_FLAGS =
      System.getenv("JFLANNEL_JAVA_OPTS") != null
          ? AGENT_JVM_FLAGS
          : AGENT_JVM_FLAGS.stream()
              .filter(f -> !f.startsWith("-XX:TieredStopAtLevel="))
              .map(
                  f ->
                      f.startsWith("-XX:ReservedCodeCacheSize=")
                          ? "-XX:ReservedCodeCacheSize=24m"
                          : f.startsWith("-XX:CICompilerCount=") ? "-XX:CICompilerCount=2" : f)
              .toList();

  /**
   * The class-data archive flags bin/jflanneld adds when the archive the build dumped sits beside
   * {@code jar} (none when $JFLANNEL_JAVA_OPTS replaces the flags, as a user's own flags would be
   * exercised then).
   */
  public static List<String> archiveFlags(Path jar) {
    Path jsa = archive(jar);
    return System.getenv("JFLANNEL_JAVA_OPTS") == null && Files.isRegularFile(jsa)
        ? List.of(
            "-XX:SharedArchiveFile=" + jsa,
            "-Xshare:auto",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0",
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off")
        : List.of();
  }

  /** Where the build puts the agent's class-data archive: the jar's name with .jsa. */
  public static Path archive(Path jar) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".jsa");
  }

  private final NetnsCluster cluster;
  private final int number;
  private final String ns;
  private final String address;
  private final Path dir;
  private final List<String> containers = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Process agent;
  private int starts;

  Node(NetnsCluster cluster, int number, String ns, String address, Path dir) {
    this.cluster = cluster;
    this.number = number;
    this.ns = ns;
    this.address = address;
    this.dir = dir;
  }

  /** The node's namespace. */
  public String ns() {
    return ns;
  }

  /** The node's underlay address. */
  public String address() {
    return address;
  }

  /** The agent's admin socket. */
  public Path adminSocket() {
    return dir.resolve("admin.sock");
  }

  /**
   * Waits (at most {@code seconds}) until {@code jflanctl status} counts {@code peers} peers; fails
   * with the last status.
   */
  public void awaitPeers(int peers, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String status = "";
    while (System.nanoTime() < deadline) {
      status = jflanctl("status").out();
      if (status.contains(String.format("peers:          %d ", peers))) {
        return;
      }
      NetnsCluster.sleep(200);
    }
    throw new IllegalStateException(
        ns + ": " + peers + " peers not programmed in " + seconds + " s:\n" + status);
  }

  /** Runs jflanctl against this node's agent (--socket set); returns its exit code and output. */
  public Cmd.Result jflanctl(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                cluster.agentJar().toString(),
                "io.jflannel.ctl.Jflanctl"));
    cmd.addAll(List.of(args));
    cmd.add("--socket=" + adminSocket());
    return Cmd.run(cmd, 60);
  }

  /**
   * Runs jflanctl inside the node's namespace (as a unit on the node would); exit code and output.
   */
  public Cmd.Result jflanctlOnNode(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                "java",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                cluster.agentJar().toString(),
                "io.jflannel.ctl.Jflanctl"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd, 120);
  }

  /**
   * Runs a shipped launcher ({@code bin/jflanctl}) inside the node's namespace with {@code env}
   * added to its environment (e.g. JFLANCTL_JAVA_OPTS); exit code and output.
   */
  public Cmd.Result launcher(Path script, Map<String, String> env, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env"));
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.add(script.toAbsolutePath().toString());
    cmd.addAll(args);
    return Cmd.run(cmd, 120);
  }

  /** The node's own directory (state, logs, sockets). */
  public Path dir() {
    return dir;
  }

  /** Where the agent writes the CNI config (the node's /etc/cni/net.d). */
  public Path cniConfDir() {
    return dir.resolve("cni");
  }

  /** Where subnet.env is written. */
  public Path subnetFile() {
    return dir.resolve("subnet.env");
  }

  /** The agent's log file of its latest start. */
  public Path log() {
    return dir.resolve("agent-" + starts + ".log");
  }

  /**
   * Starts jflanneld in the node's namespace; {@code extra} holds flag/value pairs that override
   * the defaults.
   */
  public void startAgent(String... extra) throws IOException {
    Files.createDirectories(dir);
    starts++;
    agent = startInNamespace(agentCommand(extra));
  }

  /**
   * The command line {@link #startAgent} runs (in the node's namespace, with the node's flags and
   * {@code extra} on top): for a test that starts a second agent on the same node by itself.
   */
  public List<String> agentCommand(String... extra) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("--etcd-endpoints", cluster.etcdEndpoints());
    flags.put("--etcd-prefix", cluster.etcdPrefix());
    flags.put("--iface", "eth0");
    flags.put("--ip-masq", "true");
    flags.put("--subnet-file", subnetFile().toString());
    flags.put("--state-dir", dir.resolve("state").toString());
    flags.put("--admin-socket", adminSocket().toString());
    flags.put("--cni-conf-dir", cniConfDir().toString());
    flags.put("--cni-ipam-data-dir", dir.resolve("cni-ipam").toString()); // nodes share a disk
    flags.put("--reconcile-interval", "2");
    flags.put("--iptables-resync", "2");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      flags.put(extra[i], extra[i + 1]); // extra flags come in pairs and override the defaults
    }
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "java"));
    cmd.addAll(cluster.optimizingCompiler() ? UDP_JVM_FLAGS : AGENT_JVM_FLAGS);
    cmd.addAll(archiveFlags(cluster.agentJar()));
    cmd.addAll(List.of("-cp", cluster.agentJar().toString(), "io.jflannel.agent.Jflanneld"));
    flags.forEach((k, v) -> cmd.add(k + "=" + v));
    return cmd;
  }

  /**
   * Starts {@code command} (a launcher such as bin/jflanneld and its flags) in the node's namespace
   * as the node's agent, logging to a fresh {@link #log()}: for benchmarks that run a launcher or
   * an older release as shipped.
   */
  public void startCommand(List<String> command) throws IOException {
    Files.createDirectories(dir);
    starts++;
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    agent = startInNamespace(cmd);
  }

  private Process startInNamespace(List<String> cmd) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log().toFile());
    pb.environment().putAll(environment);
    return pb.start();
  }

  /** Environment variables for the next agent starts (e.g. NOTIFY_SOCKET). */
  public Map<String, String> environment() {
    return environment;
  }

  /** Waits for subnet.env, then gives cni0 the subnet's first address (as Docker's --bip would). */
  public String awaitSubnet(long timeoutMillis) throws IOException {
    String bip = awaitSubnetEnv(timeoutMillis);
    Cmd.in(ns, "ip", "addr", "replace", bip, "dev", "cni0");
    return bip;
  }

  /** Waits for subnet.env; returns FLANNEL_SUBNET (the subnet's first address and prefix). */
  public String awaitSubnetEnv(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!Files.isRegularFile(subnetFile())) {
      if (System.nanoTime() > deadline || agent == null || !agent.isAlive()) {
        throw new IllegalStateException(
            "node " + number + " wrote no subnet.env; agent log " + log() + ":\n" + tail());
      }
      NetnsCluster.sleep(10);
    }
    String bip =
        Files.readAllLines(subnetFile()).stream()
            .filter(l -> l.startsWith("FLANNEL_SUBNET="))
            .findFirst()
            .orElseThrow()
            .substring(15);
    return bip;
  }

  /**
   * Adds a container (namespace + veth into cni0) at host number {@code host} of the node's subnet.
   */
  public String addContainer(String bip, int host) {
    String base = bip.substring(0, bip.lastIndexOf('.') + 1);
    String ip = base + host;
    String c = cluster.prefix() + "n" + number + "c" + host;
    Cmd.ok("ip", "netns", "add", c);
    cluster.namespaces().add(c);
    Cmd.ok(
        "ip",
        "-n",
        ns,
        "link",
        "add",
        "v" + host,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        c);
    Cmd.ok("ip", "-n", ns, "link", "set", "v" + host, "master", "cni0", "up");
    Cmd.in(c, "ip", "link", "set", "lo", "up");
    Cmd.in(c, "ip", "addr", "add", ip + bip.substring(bip.indexOf('/')), "dev", "eth0");
    Cmd.in(c, "ip", "link", "set", "eth0", "up");
    Cmd.in(c, "ip", "route", "add", "default", "via", bip.substring(0, bip.indexOf('/')));
    containers.add(c);
    return ip;
  }

  /**
   * A pod made the way kubelet's container runtime makes it: a fresh network namespace, then the
   * CNI plugin chain of the config the agent wrote (ADD); returns its address.
   */
  public String addCniPod(CniRuntime runtime, String name) {
    String pod = cluster.prefix() + "n" + number + name;
    Cmd.ok("ip", "netns", "add", pod);
    cluster.namespaces().add(pod);
    Cmd.in(pod, "ip", "link", "set", "lo", "up");
    containers.add(pod);
    return CniRuntime.ip(runtime.add(pod, pod));
  }

  /** host-local's allocations on this node. */
  public Path cniIpamDir() {
    return dir.resolve("cni-ipam");
  }

  /** The conflist the agent wrote for this node. */
  public Path cniConfList() {
    return cniConfDir().resolve("10-jflannel.conflist");
  }

  /** The container namespaces, in order of creation. */
  public List<String> containers() {
    return containers;
  }

  /** Container addresses by namespace are the caller's; this is the agent process. */
  public Process agent() {
    return agent;
  }

  /** Stops the agent: SIGTERM (clean) or SIGKILL. Waits for it to exit. */
  public void stopAgent(boolean kill) {
    Cmd.stop(agent, kill);
  }

  /** The last lines of the agent's log. */
  public String tail() {
    try {
      List<String> l = Files.readAllLines(log());
      return String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
