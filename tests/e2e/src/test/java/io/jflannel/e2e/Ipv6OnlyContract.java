package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.CniRuntime;
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
 * An IPv6-only network ({@code EnableIPv4: false}, IPv6Network fc00::/48) across three nodes with
 * real agents, each picking its interface by its IPv6 underlay address (fd00:198:18::/64; the IPv4
 * underlay only carries etcd). Pods are made by the standard CNI plugins from the config each agent
 * writes: they get an IPv6 address and nothing else. One subclass per backend.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class Ipv6OnlyContract {
  static NetnsCluster cluster;
  static final Map<String, String> pods = new LinkedHashMap<>(); // netns -> IPv6
  static final Map<String, Node> nodeOf = new LinkedHashMap<>();
  static String etcd6;

  static void boot(String backendJson, String extraConfig) throws Exception {
    pods.clear();
    nodeOf.clear();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            3,
            jar,
            "{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",\"Backend\":"
                + backendJson
                + extraConfig
                + "}");
    DualStackContract.addIpv6Underlay(cluster);
    etcd6 = cluster.etcdIpv6(DualStackContract.UNDERLAY6 + "250");
    for (Node n : cluster.nodes()) {
      String a6 = DualStackContract.address6(n);
      if (!extraConfig.contains("EnableNFTables")) {
        Cmd.in(n.ns(), "ip6tables", "-P", "FORWARD", "DROP");
      }
      // etcd by its IPv6 address, in brackets as etcdctl and flanneld take it
      n.startAgent("--iface", a6, "--cni-bridge", "jfcni0", "--etcd-endpoints", etcd6);
    }
    for (Node n : cluster.nodes()) {
      awaitSubnetEnv(n);
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(n.cniConfList()));
      CniRuntime rt = new CniRuntime(n.ns(), n.cniConfList());
      for (String name : List.of("pa", "pb")) {
        String ip = n.addCniPod(rt, name);
        String ns = n.containers().get(n.containers().size() - 1);
        pods.put(ns, ip);
        nodeOf.put(ns, n);
      }
    }
  }

  /** Waits for the agent's subnet.env (it has no FLANNEL_SUBNET here). */
  static void awaitSubnetEnv(Node n) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!n.agent().isAlive()) {
                throw new AssertionError("agent of " + n.ns() + " exited:\n" + n.tail());
              }
              return Files.isRegularFile(n.subnetFile());
            });
  }

  /** A node's IPv6 subnet, from its subnet.env: {@code fc00:0:0:7::/64}. */
  static String subnet6(Node n) throws Exception {
    return DualStackContract.env(n, "FLANNEL_IPV6_SUBNET").replace("::1/64", "::/64");
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /** What the backend programs on {@code on} toward a peer's IPv6 subnet. */
  abstract void assertPeerProgrammed(Node on, String peerSubnet6, Node peer);

  /** The IPv6 masquerade and forward rules in this mode's place, and no IPv4 rules. */
  abstract void assertFirewall(Node on);

  static List<String> unreachable() {
    return ClusterConnectivityContract.unreachable(pods, nodeOf, cluster.nodes());
  }

  @Test
  @Order(1)
  void podsHaveOnlyAnIpv6AddressAndReachEveryOtherNodesPods() {
    for (String pod : pods.keySet()) {
      assertThat(pods.get(pod)).startsWith("fc00:");
      assertThat(Cmd.in(pod, "ip", "-4", "addr", "show", "dev", "eth0")).doesNotContain("inet ");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(unreachable()).isEmpty());
  }

  @Test
  @Order(2)
  void leasesAndSubnetEnvAreFlanneldsIpv6OnlyForm() throws Exception {
    String leases = cluster.jflanctl("leases");
    for (Node n : cluster.nodes()) {
      assertThat(Files.readString(n.subnetFile()))
          .matches(
              "FLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00:0:0:[0-9a-f]+::1/64\n"
                  + "FLANNEL_MTU=\\d+\nFLANNEL_IPMASQ=true\n");
      String key =
          cluster.etcdPrefix() + "/subnets/0.0.0.0-0&" + subnet6(n).replace("::/64", "::-64");
      String value = cluster.etcdctl("get", "--print-value-only", key);
      assertThat(value)
          .as(key)
          .startsWith(
              "{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"" + DualStackContract.address6(n) + "\"");
      assertThat(leases)
          .containsPattern(
              java.util.regex.Pattern.quote(subnet6(n))
                  + " +"
                  + java.util.regex.Pattern.quote(DualStackContract.address6(n))
                  + " .* ok");
      String peers = n.jflanctl("peers").out();
      for (Node p : cluster.nodes()) {
        if (p != n) {
          assertThat(peers).contains(subnet6(p)).contains(DualStackContract.address6(p));
        }
      }
      assertThat(peers).doesNotContain(subnet6(n)).doesNotContain("no, rejected");
    }
  }

  @Test
  @Order(3)
  void peersAreProgrammedOverIpv6AndNothingOverIpv4() throws Exception {
    for (Node on : cluster.nodes()) {
      for (Node peer : cluster.nodes()) {
        if (peer != on) {
          assertPeerProgrammed(on, subnet6(peer), peer);
        }
      }
      assertThat(Cmd.in(on.ns(), "ip", "-4", "route", "show", "proto", "121")).isBlank();
      assertFirewall(on);
    }
  }

  @Test
  @Order(4)
  void tcpAcrossNodesAndMasqueradeToTheOutside() throws Exception {
    List<String> ps = new ArrayList<>(pods.keySet());
    String server = ps.get(4); // on node 3
    String client = ps.get(0); // on node 1
    String out = ClusterConnectivityContract.iperf(server, client, pods.get(server));
    assertThat(out).contains("\"remote_host\":\t\"" + pods.get(client) + "\"");
    // the outside host has no route to fc00::/48: only a masqueraded packet gets an answer
    String ext =
        ClusterConnectivityContract.iperf(
            cluster.externalNamespace(), client, DualStackContract.EXTERNAL6);
    assertThat(ext)
        .as("the outside sees the node's IPv6 address")
        .contains("\"remote_host\":\t\"" + DualStackContract.address6(nodeOf.get(client)) + "\"");
  }

  @Test
  @Order(5)
  void routeDeletedByHandComesBack() throws Exception {
    Node on = cluster.nodes().get(0);
    Node peer = cluster.nodes().get(1);
    String s6 = subnet6(peer);
    Cmd.in(on.ns(), "ip", "-6", "route", "del", s6);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertPeerProgrammed(on, s6, peer));
    assertThat(unreachable()).isEmpty();
  }

  @Test
  @Order(90)
  void jflanctlReachesEtcdAtItsBracketedIpv6Address() {
    Node n = cluster.nodes().get(0);
    Cmd.Result r = n.jflanctlOnNode("leases", "--etcd-endpoints=" + etcd6);
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("fc00:"))).hasSize(3);
    Cmd.Result env =
        Cmd.run(
            List.of(
                "ip",
                "netns",
                "exec",
                n.ns(),
                "env",
                "FLANNELD_ETCD_ENDPOINTS=http://[fd00:198:18::99]:2379," + etcd6,
                "java",
                "-cp",
                System.getProperty("jflannel.agent.jar"),
                "io.jflannel.ctl.Jflanctl",
                "config",
                "get"),
            120);
    assertThat(env.exit()).as("one endpoint down, the other answers: %s", env.out()).isZero();
    assertThat(env.out()).contains("fc00::/48");
    Cmd.Result bad = n.jflanctlOnNode("leases", "--etcd-endpoints=http://fd00:198:18::250:2379");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.out().strip())
        .isEqualTo(
            "jflanctl: etcd endpoint \"http://fd00:198:18::250:2379\": an IPv6 address goes in"
                + " brackets: http://[fd00:198:18::250:2379]");
  }
}
