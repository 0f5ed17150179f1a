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
 * A dual-stack network ({@code EnableIPv6}, IPv6Network fc00::/48) across three nodes with real
 * agents: an IPv6 underlay (fd00:198:18::/64) beside the IPv4 one, containers with an address of
 * each family, ip6tables FORWARD policy DROP as iptables' (not in the nftables mode: see README).
 * One subclass per backend.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class DualStackContract {
  static final String UNDERLAY6 = "fd00:198:18::";
  static final String EXTERNAL6 = UNDERLAY6 + "200";
  static NetnsCluster cluster;
  static final Map<String, String> v4 = new LinkedHashMap<>(); // container netns -> IPv4
  static final Map<String, String> v6 = new LinkedHashMap<>(); // container netns -> IPv6
  static final Map<String, Node> nodeOf = new LinkedHashMap<>();

  static void boot(String backendJson, String extraConfig) throws Exception {
    if (cluster != null) {
      throw new IllegalStateException("a cluster is already booted in this class hierarchy");
    }
    v4.clear();
    v6.clear();
    nodeOf.clear();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            3,
            jar,
            "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
                + "\"Backend\":"
                + backendJson
                + extraConfig
                + "}");
    addIpv6Underlay(cluster);
    for (Node n : cluster.nodes()) {
      if (extraConfig.contains("EnableNFTables")) {
        // an nftables host has no Docker FORWARD DROP: a drop in any base chain of the forward
        // hook drops the packet whatever our chain accepts (README, as with flanneld)
        Cmd.in(n.ns(), "iptables", "-P", "FORWARD", "ACCEPT");
      } else {
        Cmd.in(n.ns(), "ip6tables", "-P", "FORWARD", "DROP");
      }
    }
    for (Node n : cluster.nodes()) {
      n.startAgent();
    }
    for (Node n : cluster.nodes()) {
      String bip = n.awaitSubnet(60_000);
      String bip6 = env(n, "FLANNEL_IPV6_SUBNET");
      Cmd.in(n.ns(), "ip", "addr", "add", bip6, "dev", "cni0", "nodad");
      String gw6 = bip6.substring(0, bip6.indexOf('/'));
      String base6 = gw6.substring(0, gw6.length() - 1); // "...::1" -> "...::"
      for (int host = 10; host <= 11; host++) {
        String ip = n.addContainer(bip, host);
        String c = n.containers().get(n.containers().size() - 1);
        String ip6 = base6 + Integer.toHexString(host);
        Cmd.in(c, "ip", "addr", "add", ip6 + "/64", "dev", "eth0", "nodad");
        Cmd.in(c, "ip", "-6", "route", "add", "default", "via", gw6);
        v4.put(c, ip);
        v6.put(c, ip6);
        nodeOf.put(c, n);
      }
    }
  }

  /**
   * The IPv6 underlay beside the IPv4 one: the outside host at {@link #EXTERNAL6}, each node at
   * {@link #address6}, forwarding IPv6.
   */
  static void addIpv6Underlay(NetnsCluster c) {
    Cmd.in(c.externalNamespace(), "ip", "addr", "add", EXTERNAL6 + "/64", "dev", "eth0", "nodad");
    for (Node n : c.nodes()) {
      Cmd.in(n.ns(), "ip", "addr", "add", address6(n) + "/64", "dev", "eth0", "nodad");
      Cmd.in(n.ns(), "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    }
  }

  static String address6(Node n) {
    return UNDERLAY6 + n.address().substring(n.address().lastIndexOf('.') + 1);
  }

  static String env(Node n, String var) throws Exception {
    return Files.readAllLines(n.subnetFile()).stream()
        .filter(l -> l.startsWith(var + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError(var + " missing in " + n.subnetFile()))
        .substring(var.length() + 1);
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /** Pairs of containers on different nodes that cannot ping over {@code family}'s addresses. */
  static List<String> unreachable(Map<String, String> family) {
    return ClusterConnectivityContract.unreachable(family, nodeOf, cluster.nodes());
  }

  /** What the backend programs on {@code on} toward a peer's IPv6 subnet (its route). */
  abstract void assertIpv6PeerProgrammed(Node on, String peerSubnet6, Node peer);

  @Test
  @Order(1)
  void everyContainerReachesEveryOtherNodesContainersOverBothFamilies() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(unreachable(v4)).as("IPv4").isEmpty();
              assertThat(unreachable(v6)).as("IPv6").isEmpty();
            });
  }

  @Test
  @Order(2)
  void leasesAndSubnetEnvAreFlanneldsDualStackForm() throws Exception {
    String keys =
        cluster.etcdctl("get", "--prefix", "--keys-only", cluster.etcdPrefix() + "/subnets/");
    for (Node n : cluster.nodes()) {
      String env = Files.readString(n.subnetFile());
      assertThat(env)
          .matches(
              "FLANNEL_NETWORK=10\\.244\\.0\\.0/16\nFLANNEL_SUBNET=10\\.244\\.\\d+\\.1/24\n"
                  + "FLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00:0:0:[0-9a-f]+::1/64\n"
                  + "FLANNEL_MTU=\\d+\nFLANNEL_IPMASQ=true\n");
      String s4 = env(n, "FLANNEL_SUBNET").replace(".1/24", ".0-24");
      String s6 = env(n, "FLANNEL_IPV6_SUBNET").replace("::1/64", "::-64");
      assertThat(keys).contains(cluster.etcdPrefix() + "/subnets/" + s4 + "&" + s6);
      String value =
          cluster.etcdctl(
              "get", "--print-value-only", cluster.etcdPrefix() + "/subnets/" + s4 + "&" + s6);
      assertThat(value).contains("\"PublicIPv6\":\"" + address6(n) + "\"");
    }
  }

  @Test
  @Order(3)
  void ipv6RoutesArePeersAndMasqueradeRulesAreInIp6tables() throws Exception {
    for (Node on : cluster.nodes()) {
      for (Node peer : cluster.nodes()) {
        if (peer != on) {
          String s6 = env(peer, "FLANNEL_IPV6_SUBNET").replace("::1/64", "::/64");
          assertIpv6PeerProgrammed(on, s6, peer);
        }
      }
      assertFirewall(on);
    }
  }

  /** The IPv6 masquerade and forward rules, in this mode's place. */
  void assertFirewall(Node on) {
    String nat = Cmd.in(on.ns(), "ip6tables-save", "-t", "nat");
    assertThat(nat).contains("-A FLANNEL-POSTRTG -s fc00::/48 ! -d ff00::/8");
    assertThat(Cmd.in(on.ns(), "ip6tables-save", "-t", "filter"))
        .contains("-A FLANNEL-FWD -s fc00::/48");
  }

  @Test
  @Order(4)
  void tcpOverIpv6AcrossNodesAndMasqueradeToTheOutside() throws Exception {
    List<String> cs = new ArrayList<>(v6.keySet());
    String server = cs.get(2); // on node 2
    String client = cs.get(0); // on node 1
    String out = ClusterConnectivityContract.iperf(server, client, v6.get(server));
    assertThat(out).contains("\"remote_host\":\t\"" + v6.get(client) + "\"");
    // the outside host has no route to fc00::/48: only a masqueraded packet gets an answer
    String ext = ClusterConnectivityContract.iperf(cluster.externalNamespace(), client, EXTERNAL6);
    assertThat(ext)
        .as("the outside sees the node's IPv6 address")
        .contains("\"remote_host\":\t\"" + address6(nodeOf.get(client)) + "\"");
  }

  @Test
  @Order(5)
  void ipv6RouteDeletedByHandComesBack() throws Exception {
    Node on = cluster.nodes().get(0);
    Node peer = cluster.nodes().get(1);
    String s6 = env(peer, "FLANNEL_IPV6_SUBNET").replace("::1/64", "::/64");
    Cmd.in(on.ns(), "ip", "-6", "route", "del", s6);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertIpv6PeerProgrammed(on, s6, peer));
    assertThat(unreachable(v6)).isEmpty();
  }
}
