package io.jflannel.agent.node;

import static io.jflannel.agent.node.AgentState.ACQUIRING;
import static io.jflannel.agent.node.AgentState.DEGRADED;
import static io.jflannel.agent.node.AgentState.OFFLINE;
import static io.jflannel.agent.node.AgentState.PROGRAMMING;
import static io.jflannel.agent.node.AgentState.READY;
import static io.jflannel.agent.node.AgentState.STOPPING;
import static io.jflannel.agent.node.AgentState.WAITING_FOR_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.lease.Json;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.memory.InMemoryLeaseRegistry;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.RecordingNetlink;
import io.jflannel.netlink.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start path and every state of the agent's lifecycle, without root. */
class NodeLifecycleTest {
  @TempDir Path dir;
  final RecordingNetlink nl = new RecordingNetlink();
  final InMemoryLeaseRegistry etcd = new InMemoryLeaseRegistry("/coreos.com/network");
  NodeHarness h;

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
    etcd.close();
  }

  static LeaseAttrs vxlanPeer(int n) {
    var data = Json.object("VNI", 1, "VtepMAC", String.format("aa:bb:cc:00:00:%02x", n));
    return LeaseAttrs.of(Ipv4Address.parse("198.18.0." + n), "vxlan", data);
  }

  void peer(int n) {
    etcd.createLease(Ipv4Net.parse("10.244." + n + ".0/24"), vxlanPeer(n), Duration.ofHours(1));
  }

  NodeHarness awaitReady(NodeHarness n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(n.status().state())
                    .as("start failure: %s", String.valueOf(n.startFailure))
                    .isEqualTo(READY));
    return n;
  }

  @Test
  void waitsForTheConfigThenAcquiresProgramsAndIsReady() throws Exception {
    peer(3);
    h = new NodeHarness(dir, nl, etcd).start(false);
    await()
        .untilAsserted(
            () ->
                assertThat(h.status().notReadyReason())
                    .contains("/coreos.com/network/config is not in etcd"));
    assertThat(h.status().state()).isEqualTo(WAITING_FOR_CONFIG);
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    awaitReady(h);
    assertThat(h.states).containsExactly(WAITING_FOR_CONFIG, ACQUIRING, PROGRAMMING, READY);
    StatusSnapshot s = h.status();
    assertThat(s.notReadyReason()).isNull();
    assertThat(s.node().subnet()).matches("10\\.244\\.\\d+\\.0/24");
    assertThat(s.node().mtu()).isEqualTo(1450);
    assertThat(s.sync().peers()).isEqualTo(1);
    assertThat(s.sync().objects()).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("subnet.env"))).contains("FLANNEL_MTU=1450");
    assertThat(h.firewalls).singleElement().satisfies(f -> assertThat(f.drift()).isEmpty());
    assertThat(nl.routes(Route.TABLE_MAIN)).hasSize(1);
  }

  @Test
  void startsOfflineFromLocalStateAndCarriesOnWhenEtcdAnswers() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    peer(3);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    String subnet = h.status().node().subnet();
    h.close();
    await()
        .pollDelay(Duration.ofMillis(600))
        .until(() -> Files.exists(dir.resolve("state/peers.json")));

    etcd.setAvailable(false);
    h = new NodeHarness(dir, nl, etcd).start(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(OFFLINE));
    StatusSnapshot off = h.status();
    assertThat(off.notReadyReason()).as("programmed from the snapshot: ready").isNull();
    assertThat(off.node().subnet()).isEqualTo(subnet);
    assertThat(off.node().network()).isEqualTo("10.244.0.0/16");
    assertThat(off.sync().peers()).isEqualTo(1);
    assertThat(off.etcd().healthy()).isFalse();
    etcd.setAvailable(true);
    awaitReady(h);
    assertThat(h.states)
        .containsExactly(WAITING_FOR_CONFIG, OFFLINE, ACQUIRING, PROGRAMMING, READY);
    assertThat(h.status().node().subnet()).isEqualTo(subnet);
  }

  @Test
  void aDeletedDeviceDegradesTheNodeUntilItIsRecreated() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    peer(3);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    int old = nl.link("flannel.1").orElseThrow().index();
    nl.failNextWith(17); // the first re-creation attempt fails: EEXIST
    nl.vanishLink(old);
    await()
        .untilAsserted(
            () ->
                assertThat(h.status().conditions().get("kernel"))
                    .contains("device flannel.1 missing"));
    assertThat(h.status().state()).isEqualTo(DEGRADED);
    assertThat(h.status().notReadyReason())
        .startsWith("degraded: kernel: device flannel.1 missing");
    awaitReady(h);
    int now = nl.link("flannel.1").orElseThrow().index();
    assertThat(now).isNotEqualTo(old);
    assertThat(nl.routes(Route.TABLE_MAIN))
        .singleElement()
        .satisfies(r -> assertThat(r.ifindex()).isEqualTo(now));
    assertThat(h.node.running().sync().diff()).isEmpty();
  }

  @Test
  void anEtcdOutageShowsAtOnceDegradesAfterAWhileAndNeverUnreadies() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    await().untilAsserted(() -> assertThat(h.status().etcd().healthy()).isTrue());
    etcd.setAvailable(false);
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(h.status().etcd().healthy()).isFalse());
    assertThat(h.status().state()).isEqualTo(READY);
    h.skewMs.set(EtcdWatchdog.DEGRADED_AFTER.toMillis() + 1000);
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(DEGRADED));
    assertThat(h.status().conditions().get("etcd")).contains("unreachable for");
    assertThat(h.status().notReadyReason()).as("an etcd outage never unreadies a node").isNull();
    etcd.setAvailable(true);
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(READY));
    assertThat(h.status().etcd().healthy()).isTrue();
  }

  @Test
  void aConfigChangeIsTakenLiveOrRefusedWithoutTouchingTheNode() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    peer(3);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    etcd.putNetworkConfig(
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMax\":\"10.244.200.0\",\"Backend\":{\"Type\":\"vxlan\"}}");
    await()
        .pollDelay(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(READY));
    int writes = nl.log().size();
    etcd.putNetworkConfig(
        "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
            + "\"Backend\":{\"Type\":\"vxlan\"}}");
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(h.status().conditions().get("config"))
                    .contains("IPv6 off -> fc00::/48 /64", "restart the agent to apply it"));
    etcd.putNetworkConfig("{\"Network\":\"10.50.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(h.status().conditions().get("config"))
                    .contains(
                        "Network 10.244.0.0/16 -> 10.50.0.0/16",
                        "would move this node: not applied"));
    assertThat(h.status().state()).isEqualTo(DEGRADED);
    assertThat(h.status().notReadyReason()).isNull();
    etcd.putNetworkConfig("{\"Network\":");
    await()
        .untilAsserted(
            () -> assertThat(h.status().conditions().get("config")).contains("is invalid"));
    assertThat(nl.log()).hasSize(writes);
    assertThat(h.metrics.configRefused.get()).isEqualTo(3);
  }

  @Test
  void aRestartUnderAnotherBackendOrVniKeepsTheOldOneUnlessAllowed() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    peer(3);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    int vni1 = nl.link("flannel.1").orElseThrow().index();
    h.close();
    etcd.putNetworkConfig(
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":7}}");
    h = new NodeHarness(dir, nl, etcd).start(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(DEGRADED));
    assertThat(h.status().conditions().get("config"))
        .contains("\"VNI\":7", "not applied", "--allow-network-change");
    assertThat(nl.link("flannel.1").orElseThrow().index()).as("VNI 1 kept").isEqualTo(vni1);
    assertThat(nl.link("flannel.7")).isEmpty();
    h.close();
    etcd.putNetworkConfig("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    h = new NodeHarness(dir, nl, etcd).start(true); // --allow-network-change
    awaitReady(h);
    assertThat(h.status().node().backend()).isEqualTo("host-gw");
  }

  @Test
  void aRestartUnderAnInvalidConfigRunsOnTheLastValidOne() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    peer(3);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    String subnet = h.status().node().subnet();
    h.close();
    etcd.putNetworkConfig("{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31}");
    h = new NodeHarness(dir, nl, etcd).start(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(DEGRADED));
    assertThat(h.startFailure).as("no crash loop").isNull();
    assertThat(h.status().conditions().get("config"))
        .contains("is invalid", "SubnetLen: 31 is larger than 30", "running on the last valid one");
    assertThat(h.status().node().subnet()).isEqualTo(subnet);
    assertThat(h.status().sync().peers()).isEqualTo(1);
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    awaitReady(h);
  }

  @Test
  void aRestartUnderAMovedNetworkKeepsTheNodeOnItsSubnetUnlessAllowed() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    String subnet = h.status().node().subnet();
    h.close();
    etcd.putNetworkConfig("{\"Network\":\"10.50.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");

    h = new NodeHarness(dir, nl, etcd).start(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(h.status().state()).isEqualTo(DEGRADED));
    assertThat(h.status().node().subnet()).isEqualTo(subnet);
    assertThat(h.status().conditions().get("config"))
        .contains("would move this node", "--allow-network-change");
    assertThat(etcd.getLease(Ipv4Net.parse(subnet))).isPresent();
    h.close();

    h = awaitReady(new NodeHarness(dir, nl, etcd).start(true));
    assertThat(h.status().node().subnet()).startsWith("10.50.");
    assertThat(etcd.getLease(Ipv4Net.parse(subnet))).isEmpty();
  }

  @Test
  void badLeasesAreRejectedCountedAndProgramNothing() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    peer(3);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    etcd.putRaw(
        "subnets/10.244.25.128-25",
        "{\"PublicIP\":\"198.18.0.9\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:00:00:09\"}}");
    etcd.putRaw(
        "subnets/10.244.7.0-24",
        "{\"PublicIP\":\"198.18.0.1\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:00:00:07\"}}");
    await().untilAsserted(() -> assertThat(h.status().sync().rejected()).isEqualTo(2));
    assertThat(h.metrics.rejectedLeases.get()).isEqualTo(2);
    assertThat(nl.routes(Route.TABLE_MAIN)).hasSize(1);
    assertThat(h.node.running().sync().diff()).isEmpty();
  }

  @Test
  void afterStopNothingIsWrittenAndTheStateIsFinal() throws Exception {
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    h = awaitReady(new NodeHarness(dir, nl, etcd).start(false));
    h.node.close();
    int writes = nl.log().size();
    peer(4);
    nl.vanishLink(nl.link("flannel.1").orElseThrow().index());
    Thread.sleep(1500);
    assertThat(nl.log()).hasSize(writes);
    assertThat(h.status().state()).isEqualTo(STOPPING);
    assertThat(h.lc.on(LifecycleEvent.SNAPSHOT_PROGRAMMED, null)).isEqualTo(STOPPING);
  }
}
