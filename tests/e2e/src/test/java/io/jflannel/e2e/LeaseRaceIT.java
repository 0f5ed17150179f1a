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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nodes started at the same instant on an empty etcd, round after round, never hold one subnet of
 * either family in two live leases; when the IPv6 range holds one subnet, exactly one node holds it
 * and the others exit with one clear line. Rounds per case: {@code -Djflannel.race.rounds} (2 in
 * the suite; {@code ./scripts/soak race} runs 50).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LeaseRaceIT {
  static final int ROUNDS = Integer.getInteger("jflannel.race.rounds", 2);
  static final String DUAL = "\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\",";
  static final String ONE_V6 =
      "\"IPv6SubnetMin\":\"fc00:0:0:1::\",\"IPv6SubnetMax\":\"fc00:0:0:1::\",";

  @ParameterizedTest(name = "{0}, {1}, {2} nodes")
  @CsvSource({
    "dual-stack, vxlan, 5",
    "dual-stack, host-gw, 3",
    "dual-stack one IPv6 subnet, vxlan, 3",
    "dual-stack one IPv6 subnet, host-gw, 3",
    "IPv4-only, vxlan, 3",
    "IPv6-only, host-gw, 3"
  })
  void nodesStartedTogetherNeverShareASubnet(String network, String backend, int nodes)
      throws Exception {
    boolean v6only = network.equals("IPv6-only");
    boolean one = network.contains("one IPv6");
    String config =
        "{"
            + (v6only ? "\"EnableIPv4\":false," : "\"Network\":\"10.244.0.0/16\",")
            + (network.equals("IPv4-only") ? "" : DUAL)
            + (one ? ONE_V6 : "")
            + "\"Backend\":{\"Type\":\""
            + backend
            + "\"}}";
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster = new NetnsCluster(nodes, jar, config)) {
      if (!network.equals("IPv4-only")) {
        DualStackContract.addIpv6Underlay(cluster);
      }
      for (int round = 1; round <= ROUNDS; round++) {
        cluster.etcdctl("del", "--prefix", cluster.etcdPrefix() + "/subnets/");
        for (Node n : cluster.nodes()) {
          Files.deleteIfExists(n.subnetFile());
          Cmd.ok("rm", "-rf", n.dir().resolve("state").toString());
        }
        for (Node n : cluster.nodes()) { // at the same instant: each start is a fork, ~ms apart
          if (v6only) {
            n.startAgent("--iface", DualStackContract.address6(n));
          } else {
            n.startAgent();
          }
        }
        String what = network + " " + backend + " round " + round;
        if (one) {
          oneHoldsTheOnlyIpv6Subnet(cluster, what);
        } else {
          for (Node n : cluster.nodes()) {
            awaitSubnetEnv(n, what);
          }
        }
        List<String> keys = leaseKeys(cluster);
        assertThat(keys).as(what).hasSize(one ? 1 : nodes);
        noSubnetTwice(keys, what);
        for (Node n : cluster.nodes()) {
          n.stopAgent(true);
        }
      }
    }
  }

  static void awaitSubnetEnv(Node n, String what) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!n.agent().isAlive()) {
                throw new AssertionError(what + ": agent of " + n.ns() + " exited:\n" + n.tail());
              }
              return Files.exists(n.subnetFile());
            });
  }

  /** Exactly one node runs with the subnet; every other exits 1 with one line saying why. */
  static void oneHoldsTheOnlyIpv6Subnet(NetnsCluster cluster, String what) throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                cluster.nodes().stream()
                    .allMatch(n -> !n.agent().isAlive() || Files.exists(n.subnetFile())));
    List<Node> running = new ArrayList<>();
    for (Node n : cluster.nodes()) {
      if (n.agent().isAlive()) {
        running.add(n);
        assertThat(Files.readString(n.subnetFile()))
            .as(what)
            .contains("FLANNEL_IPV6_SUBNET=fc00:0:0:1::1/64");
      } else {
        assertThat(n.agent().waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(n.agent().exitValue()).as(what + ": " + n.tail()).isEqualTo(1);
        assertThat(n.tail())
            .as(what)
            .containsPattern(
                "jflanneld: out of IPv6 subnets in fc00::/48 \\([^\\n]*\\);"
                    + " see docs/troubleshooting.md#subnet-exhaustion\\n?$");
      }
    }
    assertThat(running).as(what + ": nodes holding fc00:0:0:1::/64").hasSize(1);
  }

  static List<String> leaseKeys(NetnsCluster cluster) {
    String prefix = cluster.etcdPrefix() + "/subnets/";
    List<String> keys = new ArrayList<>();
    for (String line : cluster.etcdctl("get", "--prefix", "--keys-only", prefix).split("\n")) {
      if (line.startsWith(prefix)) {
        keys.add(line.substring(prefix.length()));
      }
    }
    return keys;
  }

  /** No IPv4 or IPv6 subnet in two keys (flanneld's forms: v4, v4&v6, 0.0.0.0-0&v6). */
  static void noSubnetTwice(List<String> keys, String what) {
    Set<String> v4 = new HashSet<>();
    Set<String> v6 = new HashSet<>();
    for (String k : keys) {
      String[] parts = k.split("&");
      if (!parts[0].equals("0.0.0.0-0")) {
        assertThat(v4.add(parts[0])).as(what + ": IPv4 " + parts[0] + " twice in " + keys).isTrue();
      }
      if (parts.length > 1) {
        assertThat(v6.add(parts[1])).as(what + ": IPv6 " + parts[1] + " twice in " + keys).isTrue();
      }
    }
  }
}
