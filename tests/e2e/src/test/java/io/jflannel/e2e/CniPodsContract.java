package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jflannel.testing.Cmd;
import io.jflannel.testing.CniRuntime;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.Pinger;
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
 * Pods made the way kubelet's container runtime makes them, on nodes that have only the standard
 * CNI plugins: each agent writes the CNI config once it holds its lease, and a {@link CniRuntime}
 * runs that plugin chain (bridge with host-local, portmap) for two pods per node. The bridge is one
 * the plugin creates (jfcni0), not the fixture's hand-made cni0. One subclass per backend.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class CniPodsContract {
  static NetnsCluster cluster;
  static final Map<String, String> pods = new LinkedHashMap<>(); // netns -> ip
  static final Map<String, Node> nodeOf = new LinkedHashMap<>();
  static final Map<Node, CniRuntime> runtimes = new LinkedHashMap<>();

  static void boot(String config) throws Exception {
    pods.clear();
    nodeOf.clear();
    runtimes.clear();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster = new NetnsCluster(3, jar, config);
    for (Node n : cluster.nodes()) {
      n.startAgent("--ip-blackhole-route", "true", "--cni-bridge", "jfcni0");
    }
    for (Node n : cluster.nodes()) {
      n.awaitSubnetEnv(60_000); // the bridge plugin makes the bridge and its address
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(n.cniConfList()));
      CniRuntime rt = new CniRuntime(n.ns(), n.cniConfList());
      runtimes.put(n, rt);
      for (String name : List.of("pa", "pb")) {
        String ip = n.addCniPod(rt, name);
        String ns = n.containers().get(n.containers().size() - 1);
        pods.put(ns, ip);
        nodeOf.put(ns, n);
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

  abstract int expectedMtu();

  static List<String> unreachable() {
    List<String> bad = new ArrayList<>();
    for (var a : pods.entrySet()) {
      for (var b : pods.entrySet()) {
        if (nodeOf.get(a.getKey()) != nodeOf.get(b.getKey())
            && Cmd.run(
                        List.of(
                            "ip", "netns", "exec", a.getKey(), "ping", "-c1", "-W1", b.getValue()),
                        10)
                    .exit()
                != 0) {
          bad.add(a.getValue() + " -> " + b.getValue());
        }
      }
    }
    return bad;
  }

  @Test
  @Order(1)
  void theAgentWritesAConfigOfTheStandardPluginsForItsSubnet() throws Exception {
    for (Node n : cluster.nodes()) {
      JsonNode c = new ObjectMapper().readTree(n.cniConfList().toFile());
      String subnet =
          Files.readAllLines(n.subnetFile()).stream()
              .filter(l -> l.startsWith("FLANNEL_SUBNET="))
              .findFirst()
              .orElseThrow()
              .substring(15);
      String net = subnet.replace(".1/24", ".0/24");
      assertThat(c.path("name").asText()).isEqualTo("cbr0");
      assertThat(c.path("plugins").get(0).path("type").asText()).isEqualTo("bridge");
      assertThat(c.path("plugins").get(0).path("mtu").asInt()).isEqualTo(expectedMtu());
      assertThat(c.path("plugins").get(0).path("hairpinMode").asBoolean()).isTrue();
      assertThat(
              c.path("plugins")
                  .get(0)
                  .path("ipam")
                  .path("ranges")
                  .get(0)
                  .get(0)
                  .path("subnet")
                  .asText())
          .isEqualTo(net);
      assertThat(c.path("plugins").get(1).path("type").asText()).isEqualTo("portmap");
      assertThat(Cmd.in(n.ns(), "ip", "route", "show", "type", "blackhole"))
          .as("--ip-blackhole-route, beside the bridge's own route")
          .contains("blackhole " + net + " proto 121 metric 1000");
    }
    for (var p : pods.entrySet()) {
      Node n = nodeOf.get(p.getKey());
      String base =
          Files.readAllLines(n.subnetFile()).stream()
              .filter(l -> l.startsWith("FLANNEL_SUBNET="))
              .findFirst()
              .orElseThrow()
              .substring(15)
              .replace(".1/24", ".");
      assertThat(p.getValue()).as("pod address from its node's subnet").startsWith(base);
      assertThat(Cmd.in(p.getKey(), "ip", "link", "show", "eth0")).contains("mtu " + expectedMtu());
      runtimes.get(n).check(p.getKey(), p.getKey());
    }
  }

  @Test
  @Order(2)
  void everyPodReachesEveryPodOnOtherNodesWithItsOwnAddress() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(unreachable()).isEmpty());
    List<String> ns = new ArrayList<>(pods.keySet());
    String out = ClusterConnectivityContract.iperf(ns.get(2), ns.get(0), pods.get(ns.get(2)));
    assertThat(out)
        .as("no masquerade between pods")
        .contains("\"remote_host\":\t\"" + pods.get(ns.get(0)) + "\"");
  }

  @Test
  @Order(3)
  void aPodReachesTheOutsideMasqueradedAsItsNode() throws Exception {
    String pod = pods.keySet().iterator().next();
    String out =
        ClusterConnectivityContract.iperf(cluster.externalNamespace(), pod, NetnsCluster.EXTERNAL);
    assertThat(out).contains("\"remote_host\":\t\"" + nodeOf.get(pod).address() + "\"");
  }

  /** How many packets a kill -9 and restart of the agent may cost (kernel backends: none). */
  int allowedRestartLoss() {
    return 0;
  }

  @Test
  @Order(4)
  void anAgentRestartLeavesRunningPodsConnected() throws Exception {
    Node n2 = cluster.nodes().get(1);
    List<String> ns = new ArrayList<>(pods.keySet());
    Pinger p = Pinger.start(ns.get(0), pods.get(ns.get(2)));
    Thread.sleep(300);
    n2.stopAgent(true);
    n2.startAgent("--ip-blackhole-route", "true", "--cni-bridge", "jfcni0");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(n2.log()).contains("ready:"));
    Thread.sleep(1000);
    Pinger.Result r = p.stop();
    assertThat(r.lost()).as("%s", r).isLessThanOrEqualTo(allowedRestartLoss());
    assertThat(unreachable()).isEmpty();
  }

  @Test
  @Order(5)
  void delFreesTheAddress() throws Exception {
    Node n3 = cluster.nodes().get(2);
    String pod = n3.containers().get(1);
    String ip = pods.get(pod);
    Path lease = n3.cniIpamDir().resolve("cbr0").resolve(ip);
    assertThat(lease).as("host-local's allocation").exists();
    runtimes.get(n3).del(pod, pod);
    assertThat(lease).doesNotExist();
    assertThat(Cmd.run(List.of("ip", "netns", "exec", pod, "ip", "link", "show", "eth0"), 5).exit())
        .isNotZero();
  }
}
