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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Going back to flanneld ({@code ./scripts/interop}, which passes {@code -Djflannel.flanneld}): on
 * a node that ran jflanneld and was cleaned with {@code jflanneld cleanup --release-lease},
 * flannel's own flanneld comes up as on a fresh node — it creates its device instead of finding
 * one, takes a lease, and its pods reach the pods of a jflanneld node.
 */
@Tag("interop")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FlanneldAfterCleanupIT {
  @Test
  void flanneldStartsOnACleanedNodeAsOnAFreshOne() throws Exception {
    FlanneldBinary.path();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            2, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      Node n1 = cluster.nodes().get(0);
      Node n2 = cluster.nodes().get(1);
      n1.startAgent();
      n2.startAgent();
      n1.awaitSubnetEnv(60_000);
      String bip2 = n2.awaitSubnet(60_000);
      n1.awaitPeers(1, 30);
      n1.stopAgent(false);
      List<String> cleanup = new ArrayList<>(n1.agentCommand());
      cleanup.addAll(List.of("cleanup", "--release-lease"));
      Cmd.Result r = Cmd.run(cleanup, 120);
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(Cmd.in(n1.ns(), "ip", "link", "show")).doesNotContain("flannel.1");

      FlanneldBinary.start(n1, "--ip-masq");
      String bip1 = n1.awaitSubnet(60_000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Cmd.in(n1.ns(), "ip", "-d", "link", "show").contains("flannel.1"));
      String log = Files.readString(n1.log());
      assertThat(log).as("flanneld found none of ours").doesNotContain("already exists");
      String ip1 = n1.addContainer(bip1, 10);
      String ip2 = n2.addContainer(bip2, 10);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(
                        Cmd.runIn(n1.containers().get(0), 5, "ping", "-c", "1", "-W", "1", ip2)
                            .exit())
                    .isZero();
                assertThat(
                        Cmd.runIn(n2.containers().get(0), 5, "ping", "-c", "1", "-W", "1", ip1)
                            .exit())
                    .isZero();
              });
    }
  }
}
