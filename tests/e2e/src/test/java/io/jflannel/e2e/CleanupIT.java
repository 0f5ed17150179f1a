package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.Pinger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jflanneld cleanup}: on a node that ran an agent, the kernel and the files are as they were
 * before the agent first ran ({@link NodeSnapshot}), for every backend, dual-stack and the nftables
 * mode; {@code --dry-run} changes nothing; it refuses while the agent runs; {@code --release-lease}
 * frees the subnet for a new node while the other nodes' pods keep pinging each other.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CleanupIT {
  static final Path JAR =
      Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "vxlan|{\"Type\":\"vxlan\"}|",
        "host-gw, blackhole route|{\"Type\":\"host-gw\"}|",
        "udp|{\"Type\":\"udp\"}|",
        "dual-stack vxlan|{\"Type\":\"vxlan\"}|,\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\"",
        "vxlan, nftables|{\"Type\":\"vxlan\"}|,\"EnableNFTables\":true"
      })
  void theNodeIsAsBeforeTheAgentFirstRan(String name, String backend, String extra)
      throws Exception {
    String more = extra == null ? "" : extra;
    try (NetnsCluster cluster =
        new NetnsCluster(
            2, JAR, "{\"Network\":\"10.244.0.0/16\",\"Backend\":" + backend + more + "}")) {
      if (more.contains("EnableIPv6")) {
        DualStackContract.addIpv6Underlay(cluster);
      }
      Node n = cluster.nodes().get(0);
      if (more.contains("EnableNFTables")) { // no FORWARD DROP beside nftables (DualStackContract)
        cluster.nodes().forEach(x -> Cmd.in(x.ns(), "iptables", "-P", "FORWARD", "ACCEPT"));
      }
      String before = NodeSnapshot.of(n);
      String[] flags =
          name.contains("blackhole")
              ? new String[] {"--ip-blackhole-route", "true"}
              : new String[0];
      for (Node x : cluster.nodes()) {
        x.startAgent(flags);
      }
      awaitReadyWithAPeer(n);
      String running = NodeSnapshot.of(n);
      assertThat(running).as("the agent made something to clean up").isNotEqualTo(before);

      Cmd.Result refused = cleanup(n);
      assertThat(refused.exit()).as(refused.out()).isEqualTo(1);
      assertThat(refused.out())
          .contains("another jflanneld (pid " + n.agent().pid() + ") runs on this node");
      assertThat(NodeSnapshot.of(n)).as("refused: nothing touched").isEqualTo(running);

      n.stopAgent(false);
      String stopped = NodeSnapshot.of(n);
      Cmd.Result dry = cleanup(n, "--dry-run");
      assertThat(dry.exit()).as(dry.out()).isZero();
      assertThat(dry.out()).contains("would remove ").doesNotContain("removed ");
      assertThat(NodeSnapshot.of(n)).as("--dry-run changes nothing").isEqualTo(stopped);

      Cmd.Result done = cleanup(n);
      assertThat(done.exit()).as(done.out()).isZero();
      assertThat(done.out()).contains("removed ");
      assertThat(NodeSnapshot.of(n)).as(done.out()).isEqualTo(before);
      Cmd.Result again = cleanup(n);
      assertThat(again.out()).contains("nothing of jflanneld's on this node");
    }
  }

  @Test
  void releaseLeaseFreesTheSubnetForANewNodeWhileTheOthersKeepForwarding() throws Exception {
    String three = "\"SubnetMin\":\"10.244.1.0\",\"SubnetMax\":\"10.244.3.0\"";
    try (NetnsCluster cluster =
        new NetnsCluster(
            4,
            JAR,
            "{\"Network\":\"10.244.0.0/16\"," + three + ",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      List<Node> nodes = cluster.nodes();
      List<String> bips = new ArrayList<>();
      for (Node x : nodes.subList(0, 3)) {
        x.startAgent();
      }
      for (Node x : nodes.subList(0, 3)) {
        bips.add(x.awaitSubnet(60_000));
      }
      String ip2 = nodes.get(1).addContainer(bips.get(1), 10);
      nodes.get(0).addContainer(bips.get(0), 10);
      Node gone = nodes.get(2);
      String key = "/coreos.com/network/subnets/" + bips.get(2).replace(".1/24", ".0-24");
      await().atMost(Duration.ofSeconds(30)).until(() -> ping(nodes.get(0), ip2));
      try (Pinger p = Pinger.start(nodes.get(0).containers().get(0), ip2)) {
        gone.stopAgent(false);
        Cmd.Result r = cleanup(gone, "--release-lease");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("removed lease " + bips.get(2).replace(".1/24", ".0-24"));
        assertThat(cluster.etcdctl("get", key, "--print-value-only")).isBlank();
        Node fresh = nodes.get(3);
        fresh.startAgent();
        assertThat(fresh.awaitSubnetEnv(60_000))
            .as("the only free subnet: the one released")
            .isEqualTo(bips.get(2));
        Thread.sleep(2000);
        Pinger.Result res = p.stop();
        assertThat(res.lost()).as("%s", res).isZero();
        assertThat(res.sent()).isGreaterThan(50);
      }
    }
  }

  private static boolean ping(Node from, String ip) {
    return Cmd.run(
                List.of(
                    "ip",
                    "netns",
                    "exec",
                    from.containers().get(0),
                    "ping",
                    "-c",
                    "1",
                    "-W",
                    "1",
                    ip),
                10)
            .exit()
        == 0;
  }

  /** READY, with the other node's lease programmed. */
  private static void awaitReadyWithAPeer(Node n) throws Exception {
    n.awaitSubnetEnv(60_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(n.jflanctl("status").out())
                    .containsPattern("state: +READY")
                    .containsPattern("peers: +1 "));
  }

  /** {@code jflanneld cleanup} with the node agent's own flags. */
  private static Cmd.Result cleanup(Node n, String... extra) {
    List<String> cmd = new ArrayList<>(n.agentCommand());
    cmd.add("cleanup");
    cmd.addAll(List.of(extra));
    return Cmd.run(cmd, 120);
  }
}
