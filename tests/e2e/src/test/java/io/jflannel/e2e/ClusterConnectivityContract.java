package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Pod-to-pod connectivity across three nodes with real agents, one subclass per backend. The
 * cluster is built once per class; tests run in order (the last ones disrupt it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class ClusterConnectivityContract {
  static NetnsCluster cluster;
  static final Map<String, String> containerIps = new LinkedHashMap<>(); // netns -> ip
  static final Map<String, Node> nodeOf = new LinkedHashMap<>();
  static final Map<Node, String> subnets = new LinkedHashMap<>();

  static void boot(String backendJson) throws Exception {
    boot(backendJson, "");
  }

  /** Boots with {@code extraConfig} (e.g. {@code ,"EnableNFTables":true}) in the network config. */
  static void boot(String backendJson, String extraConfig) throws Exception {
    if (cluster != null) {
      throw new IllegalStateException(
          "a cluster is already booted: one @BeforeAll per test class hierarchy");
    }
    containerIps.clear();
    nodeOf.clear();
    subnets.clear();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            3,
            jar,
            "{\"Network\":\"10.244.0.0/16\",\"Backend\":" + backendJson + extraConfig + "}");
    for (Node n : cluster.nodes()) {
      n.startAgent(); // all at once: agents starting together is the normal case
    }
    for (Node n : cluster.nodes()) {
      String bip = n.awaitSubnet(60_000);
      subnets.put(n, bip);
      for (int host = 10; host <= 11; host++) {
        String ip = n.addContainer(bip, host);
        String c = n.containers().get(n.containers().size() - 1);
        containerIps.put(c, ip);
        nodeOf.put(c, n);
      }
    }
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  static boolean ping(String fromNs, String ip) {
    return Cmd.run(List.of("ip", "netns", "exec", fromNs, "ping", "-c", "1", "-W", "1", ip), 10)
            .exit()
        == 0;
  }

  static List<String> unreachablePairs() {
    return unreachablePairs(cluster.nodes());
  }

  /** Pairs of containers on different nodes, both among {@code live}, that cannot ping. */
  static List<String> unreachablePairs(List<Node> live) {
    return unreachable(containerIps, nodeOf, live);
  }

  /**
   * Pairs of containers ({@code ips}: namespace to address) on different nodes, both among {@code
   * live}, that cannot ping.
   */
  static List<String> unreachable(
      Map<String, String> ips, Map<String, Node> nodeOf, List<Node> live) {
    List<String> bad = new ArrayList<>();
    for (var a : ips.entrySet()) {
      for (var b : ips.entrySet()) {
        Node na = nodeOf.get(a.getKey());
        Node nb = nodeOf.get(b.getKey());
        if (na != nb && live.contains(na) && live.contains(nb) && !ping(a.getKey(), b.getValue())) {
          bad.add(a.getValue() + " -> " + b.getValue());
        }
      }
    }
    return bad;
  }

  @Test
  @Order(1)
  void everyContainerReachesEveryContainerOnOtherNodes() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(unreachablePairs()).isEmpty());
  }

  @Test
  @Order(2)
  void subnetEnvIsFlannels() throws Exception {
    for (Node n : cluster.nodes()) {
      String env = Files.readString(n.subnetFile());
      assertThat(env)
          .matches(
              "FLANNEL_NETWORK=10\\.244\\.0\\.0/16\nFLANNEL_SUBNET=10\\.244\\.\\d+\\.1/24\nFLANNEL_MTU="
                  + expectedMtu()
                  + "\nFLANNEL_IPMASQ=true\n");
      assertThat(cluster.etcdctl("get", "--prefix", "--keys-only", "/coreos.com/network/subnets/"))
          .contains(subnets.get(n).replace(".1/24", ".0-24"));
    }
  }

  /** True for a cluster in the nftables mode ({@code EnableNFTables}). */
  boolean nftables() {
    return false;
  }

  @Test
  @Order(3)
  void firewallRulesAreFlannels() {
    Node n = cluster.nodes().get(0);
    if (nftables()) {
      NftablesRules.assertFlannels(n, subnets.get(n).replace(".1/24", ".0/24"));
      return;
    }
    String pod = subnets.get(n).replace(".1/24", ".0/24");
    String nat = Cmd.in(n.ns(), "iptables-save", "-t", "nat");
    assertThat(nat)
        .contains(
            "-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG",
            "-A FLANNEL-POSTRTG -s "
                + pod
                + " -d 10.244.0.0/16 -m comment --comment \"flanneld masq\" -j RETURN",
            "-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment \"flanneld masq\" -j MASQUERADE --random-fully");
    String filter = Cmd.in(n.ns(), "iptables-save", "-t", "filter");
    assertThat(filter)
        .contains(
            ":FORWARD DROP",
            "-A FORWARD -m comment --comment \"flanneld forward\" -j FLANNEL-FWD",
            "-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT");
  }

  @Test
  @Order(4)
  void kernelObjectsPerPeerAreFlannels() {
    Node n1 = cluster.nodes().get(0);
    for (Node peer : cluster.nodes().subList(1, 3)) {
      assertPeerProgrammed(n1, peer.address(), subnets.get(peer).replace(".1/24", ".0"), null);
    }
  }

  /**
   * Asserts the kernel objects on {@code on} for a peer (VtepMAC null: read it from the peer's
   * lease).
   */
  abstract void assertPeerProgrammed(Node on, String peerIp, String peerSubnetBase, String vtepMac);

  /** A lease value for a node that joins while the test runs (VtepMAC 0a:58:0a:f4:f0:00). */
  abstract String newNodeLease(String publicIp);

  abstract int expectedMtu();

  @Test
  @Order(5)
  void tcpTransferAcrossNodesAndMasqueradeOnlyToTheOutside() throws Exception {
    List<String> cs = new ArrayList<>(containerIps.keySet());
    String server = cs.get(2); // on node 2
    String client = cs.get(0); // on node 1
    String serverOut = iperf(server, client, containerIps.get(server));
    assertThat(serverOut).contains("\"remote_host\":\t\"" + containerIps.get(client) + "\"");
    String extOut = iperf(cluster.externalNamespace(), client, NetnsCluster.EXTERNAL);
    assertThat(extOut)
        .as("the outside sees the node's address")
        .contains("\"remote_host\":\t\"" + nodeOf.get(client).address() + "\"");
  }

  /**
   * Runs a one-shot iperf3 server in {@code serverNs} and a 4 MB client transfer; returns the
   * server's JSON.
   */
  static String iperf(String serverNs, String clientNs, String serverIp) throws Exception {
    Process s =
        new ProcessBuilder(
                "ip", "netns", "exec", serverNs, "iperf3", "-s", "-1", "-J", "-p", "5201")
            .redirectErrorStream(true)
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Cmd.run(
                              List.of(
                                  "ip", "netns", "exec", clientNs, "iperf3", "-c", serverIp, "-p",
                                  "5201", "-n", "4M", "-J"),
                              30)
                          .exit()
                      == 0);
      if (!s.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("iperf3 server did not finish");
      }
      return new String(s.getInputStream().readAllBytes());
    } finally {
      s.destroyForcibly();
    }
  }

  @Test
  @Order(6)
  void killAndRestartKeepsTheSubnetAndOtherNodesLoseNoPackets() throws Exception {
    Node victim = cluster.nodes().get(1);
    List<String> cs = new ArrayList<>(containerIps.keySet());
    String from = cs.get(0); // node 1
    String to = containerIps.get(cs.get(4)); // node 3
    Process ping =
        new ProcessBuilder(
                "ip", "netns", "exec", from, "ping", "-i", "0.02", "-c", "400", "-W", "1", to)
            .redirectErrorStream(true)
            .start();
    Process pingFromVictim =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                cs.get(2),
                "ping",
                "-i",
                "0.02",
                "-c",
                "400",
                "-W",
                "1",
                containerIps.get(cs.get(0)))
            .redirectErrorStream(true)
            .start();
    Thread.sleep(500);
    String before = Files.readString(victim.subnetFile());
    String key = "/coreos.com/network/subnets/" + subnets.get(victim).replace(".1/24", ".0-24");
    String leaseBefore = cluster.etcdctl("get", key, "--print-value-only");
    victim.stopAgent(true);
    victim.startAgent();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                victim.log().toFile().length() > 0
                    && Files.readString(victim.log()).contains("ready:"));
    assertThat(Files.readString(victim.subnetFile())).isEqualTo(before);
    assertThat(cluster.etcdctl("get", key, "--print-value-only"))
        .as("same lease value (VtepMAC stable)")
        .isEqualTo(leaseBefore);
    assertThat(ping.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertLossAcrossRestart(
        "to the restarted node", new String(ping.getInputStream().readAllBytes()));
    assertThat(pingFromVictim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertLossAcrossRestart(
        "from the restarted node's container",
        new String(pingFromVictim.getInputStream().readAllBytes()));
    assertThat(unreachablePairs()).isEmpty();
  }

  /**
   * The loss a kill -9 and restart may cost (kernel backends: none, the data path is the kernel's).
   */
  void assertLossAcrossRestart(String what, String pingOutput) {
    assertThat(pingOutput)
        .as(what)
        .contains("400 packets transmitted, 400 received, 0% packet loss");
  }

  @Test
  @Order(9)
  void aNodeThatLeavesIsRemovedFromTheOthers() throws Exception {
    Node gone = cluster.nodes().get(2);
    String key = "/coreos.com/network/subnets/" + subnets.get(gone).replace(".1/24", ".0-24");
    gone.agent().destroy(); // SIGTERM
    long t0 = System.nanoTime();
    assertThat(gone.agent().waitFor(1500, TimeUnit.MILLISECONDS))
        .as("exits within a second or so")
        .isTrue();
    assertThat(gone.agent().exitValue()).as("clean exit; log:\n%s", gone.tail()).isZero();
    assertThat((System.nanoTime() - t0) / 1e6).isLessThan(1500);
    assertThat(cluster.etcdctl("get", key, "--print-value-only")).as("lease kept").isNotBlank();
    assertThat(Cmd.in(gone.ns(), "ip", "route", "show", "proto", "121"))
        .as("kernel state kept")
        .isNotBlank();
    cluster.etcdctl("del", key);
    Node n1 = cluster.nodes().get(0);
    String dst = subnets.get(gone).replace(".1/24", ".0/24");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(Cmd.in(n1.ns(), "ip", "route", "show", dst)).isBlank());
    assertPeerGone(n1, subnets.get(gone).replace(".1/24", ".0"));
  }

  abstract void assertPeerGone(Node on, String peerSubnetBase);

  static String curl(Node n, String path) {
    return Cmd.in(n.ns(), "curl", "-s", "-w", " HTTP %{http_code}", "http://127.0.0.1:8471" + path);
  }

  @Test
  @Order(7)
  void healthReadinessAndMetrics() {
    Node n1 = cluster.nodes().get(0);
    assertThat(curl(n1, "/healthz")).isEqualTo("ok: state READY\n HTTP 200");
    assertThat(curl(n1, "/readyz")).isEqualTo("ready: state READY\n HTTP 200");
    String m = curl(n1, "/metrics");
    assertThat(m)
        .contains(
            "jflannel_peers 2.0",
            "jflannel_convergence_seconds_count",
            "jflannel_iptables_restores_total");
    // the runtime's own footprint, where the agent is watched
    assertThat(m)
        .containsPattern("jvm_memory_used_bytes\\{area=\"heap\"} [1-9]")
        .containsPattern("jvm_memory_used_bytes\\{area=\"nonheap\"} [1-9]")
        .containsPattern("jvm_threads_current [1-9]")
        .containsPattern("process_resident_memory_bytes [1-9]")
        .contains(
            "jvm_gc_collection_seconds_count{gc=", "jvm_buffer_pool_used_bytes{pool=\"direct\"}");
    assertBackendMetrics(m);
  }

  /** What /metrics says of the backend's work for two peers. */
  void assertBackendMetrics(String metrics) {
    assertThat(metrics).containsPattern("jflannel_kernel_objects [1-9]");
  }

  @Test
  @Order(8)
  void dataPlaneSurvivesAnEtcdOutageAndARestartDuringIt() throws Exception {
    Node n2 = cluster.nodes().get(1);
    cluster.stopEtcd();
    try {
      assertThat(unreachablePairs()).as("data plane with etcd down").isEmpty();
      assertThat(curl(cluster.nodes().get(0), "/readyz")).contains("HTTP 200");
      n2.stopAgent(true);
      Cmd.in(n2.ns(), "ip", "route", "flush", "proto", "121");
      Cmd.in(n2.ns(), "ip", "neigh", "flush", "nud", "permanent");
      n2.startAgent();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(n2.log()))
                      .contains("from the last-known-good snapshot"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(unreachablePairs()).isEmpty());
      assertThat(curl(n2, "/readyz")).contains("HTTP 200", "state OFFLINE");
      assertThat(n2.jflanctl("status").out())
          .as("what an offline start programmed")
          .containsPattern("state: +OFFLINE")
          .containsPattern(
              "subnet: +"
                  + java.util.regex.Pattern.quote(subnets.get(n2).replace(".1/24", ".0/24")))
          .containsPattern("peers: +2 ");
    } finally {
      cluster.startEtcd();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(Files.readString(n2.log())).contains("reusing subnet", "ready:"));
    assertThat(unreachablePairs()).isEmpty();
    cluster.etcdctl(
        "put", "/coreos.com/network/subnets/10.244.240.0-24", newNodeLease("198.18.0.60"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertPeerProgrammed(
                    cluster.nodes().get(0), "198.18.0.60", "10.244.240.0", "0a:58:0a:f4:f0:00"));
    cluster.etcdctl("del", "/coreos.com/network/subnets/10.244.240.0-24");
  }

  @Test
  @Order(11)
  void aRouteNoLeaseExplainsIsRemoved() {
    Node n1 = cluster.nodes().get(0);
    Cmd.in(n1.ns(), "ip", "route", "add", "10.244.250.0/24", "via", "198.18.0.99", "dev", "eth0");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(Cmd.in(n1.ns(), "ip", "route", "show", "10.244.250.0/24")).isBlank());
  }

  @Test
  @Order(10)
  void aRouteDeletedByHandComesBack() {
    Node n1 = cluster.nodes().get(0);
    String dst = routeToDeleteByHand();
    Cmd.in(n1.ns(), "ip", "route", "del", dst);
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(Cmd.in(n1.ns(), "ip", "route", "show", dst)).isNotBlank());
  }

  /** A route of ours on node 1 that the repair test deletes (default: node 2's subnet). */
  String routeToDeleteByHand() {
    return subnets.get(cluster.nodes().get(1)).replace(".1/24", ".0/24");
  }

  @Test
  @Order(12)
  void firewallRulesRemovedByHandAreRestored() {
    Node n1 = cluster.nodes().get(0);
    if (nftables()) {
      NftablesRules.removeByHandAndAwaitRestore(n1);
      assertThat(unreachablePairs(cluster.nodes().subList(0, 2)))
          .as("node 3 left earlier")
          .isEmpty();
      return;
    }
    Cmd.in(n1.ns(), "iptables", "-t", "nat", "-F", "FLANNEL-POSTRTG");
    Cmd.in(
        n1.ns(),
        "iptables",
        "-D",
        "FORWARD",
        "-m",
        "comment",
        "--comment",
        "flanneld forward",
        "-j",
        "FLANNEL-FWD");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(Cmd.in(n1.ns(), "iptables-save", "-t", "nat"))
                  .contains("-j MASQUERADE --random-fully");
              assertThat(Cmd.in(n1.ns(), "iptables-save", "-t", "filter"))
                  .containsOnlyOnce(
                      "-A FORWARD -m comment --comment \"flanneld forward\" -j FLANNEL-FWD");
            });
    assertThat(unreachablePairs(cluster.nodes().subList(0, 2))).as("node 3 left earlier").isEmpty();
  }

  static String nodeLogs() {
    StringBuilder b = new StringBuilder();
    cluster
        .nodes()
        .forEach(
            n -> b.append("--- node ").append(n.ns()).append('\n').append(n.tail()).append('\n'));
    return b.toString();
  }
}
