package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The idle minute of {@link IdleEtcdCostIT} beside flannel's own flanneld ({@code
 * ./scripts/interop}): one vxlan cluster where n1 runs flanneld v0.20.2 and n2–n4 run jflanneld
 * (three peers each), both masquerading, jflanneld with its shipped reconcile and firewall resync
 * periods. Neither sends etcd a unary request in the minute, and a jflanneld node uses no more CPU
 * (its own and the iptables runs it waited for) than the flanneld node in the same minute.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlanneldIdleCostIT {
  @Test
  void jflanneldIdlesBesideFlanneldAtNoMoreCostToEtcdOrCpu() throws Exception {
    FlanneldBinary.path();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            4, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")) {
      Node n1 = cluster.nodes().get(0);
      FlanneldBinary.start(n1, "--ip-masq"); // as the jflanneld nodes masquerade
      for (Node n : cluster.nodes().subList(1, 4)) {
        n.startAgent(IdleEtcdCostIT.SHIPPED_PERIODS);
      }
      n1.awaitSubnet(60_000);
      for (Node n : cluster.nodes().subList(1, 4)) {
        n.awaitSubnetEnv(60_000);
        n.awaitPeers(3, 30);
      }
      long[] cpu0 = IdleEtcdCostIT.cpuTicks(cluster);
      Map<String, Double> unary =
          IdleEtcdCostIT.idleMinute(cluster, "flanneld on n1, jflanneld on n2-n4");
      long[] cpu1 = IdleEtcdCostIT.cpuTicks(cluster);
      assertThat(unary).as("unary requests etcd served in the idle minute").isEmpty();
      long flanneld = cpu1[0] - cpu0[0];
      for (int i = 1; i < 4; i++) {
        assertThat(cpu1[i] - cpu0[i])
            .as("n%d's jflanneld CPU ticks in the minute, beside flanneld's %d", i + 1, flanneld)
            .isLessThanOrEqualTo(flanneld);
      }
    }
  }
}
