package io.jflannel.agent.node;

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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model test on the real start path and loops ({@link Node} on RecordingNetlink and the
 * in-memory etcd): every event an agent meets, from every state it can sit in. The node never exits
 * (no fatal, no start failure beyond a config that is invalid with nothing saved to fall back on),
 * ends in a defined state, a programmed node never goes back to waiting, and health says what the
 * state says.
 */
class NodeEventsTest {
  static final String OTHER_VNI =
      "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":7}}";

  enum Event {
    ETCD_DOWN,
    ETCD_UP,
    CONFIG_PRESENT,
    CONFIG_ABSENT,
    CONFIG_CHANGED,
    CONFIG_INVALID,
    KERNEL_FAILURE,
    DEVICE_GONE,
    SIGTERM
  }

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

  static Stream<Arguments> everyEventInEveryState() {
    return Stream.of(
            AgentState.WAITING_FOR_CONFIG,
            AgentState.OFFLINE,
            AgentState.READY,
            AgentState.DEGRADED)
        .flatMap(s -> Stream.of(Event.values()).map(e -> Arguments.of(s, e)));
  }

  void peer(int n) {
    var data = Json.object("VNI", 1, "VtepMAC", String.format("aa:bb:cc:00:00:%02x", n));
    etcd.createLease(
        Ipv4Net.parse("10.244." + n + ".0/24"),
        LeaseAttrs.of(Ipv4Address.parse("198.18.0." + n), "vxlan", data),
        Duration.ofHours(1));
  }

  NodeHarness reach(AgentState s) throws Exception {
    if (s != AgentState.WAITING_FOR_CONFIG) {
      etcd.putNetworkConfig(NodeHarness.VXLAN);
      peer(3);
    }
    NodeHarness n = new NodeHarness(dir, nl, etcd).start(false);
    if (s == AgentState.OFFLINE) {
      awaitState(n, AgentState.READY);
      n.close();
      await().until(() -> Files.exists(dir.resolve("state/peers.json")));
      etcd.setAvailable(false);
      n = new NodeHarness(dir, nl, etcd).start(false);
    }
    if (s == AgentState.DEGRADED) {
      awaitState(n, AgentState.READY);
      etcd.putNetworkConfig(OTHER_VNI); // refused while running: the "config" condition
    }
    awaitState(n, s);
    return n;
  }

  static void awaitState(NodeHarness n, AgentState s) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(n.status().state())
                    .as("start failure %s", String.valueOf(n.startFailure))
                    .isEqualTo(s));
  }

  void fire(Event e) throws Exception {
    switch (e) {
      case ETCD_DOWN -> etcd.setAvailable(false);
      case ETCD_UP -> etcd.setAvailable(true);
      case CONFIG_PRESENT -> {
        etcd.setAvailable(true);
        etcd.putNetworkConfig(NodeHarness.VXLAN);
      }
      case CONFIG_ABSENT -> {
        etcd.setAvailable(true);
        etcd.deleteRaw("config");
      }
      case CONFIG_CHANGED -> {
        etcd.setAvailable(true);
        etcd.putNetworkConfig(OTHER_VNI);
      }
      case CONFIG_INVALID -> {
        etcd.setAvailable(true);
        etcd.putNetworkConfig("{\"Network\":");
      }
      case KERNEL_FAILURE -> {
        nl.failNextWith(1); // EPERM: the next repair is refused
        nl.routes(Route.TABLE_MAIN).stream().findFirst().ifPresent(nl::vanish);
      }
      case DEVICE_GONE -> nl.link("flannel.1").ifPresent(l -> nl.vanishLink(l.index()));
      case SIGTERM -> h.node.close();
    }
  }

  /** The states {@code e} may leave a node in that was in {@code s}. */
  static Set<AgentState> allowed(AgentState s, Event e) {
    if (e == Event.SIGTERM) {
      return EnumSet.of(AgentState.STOPPING);
    }
    if (s == AgentState.WAITING_FOR_CONFIG) {
      return switch (e) {
        case CONFIG_PRESENT, CONFIG_CHANGED -> EnumSet.of(AgentState.READY);
        default -> EnumSet.of(AgentState.WAITING_FOR_CONFIG);
      };
    }
    if (s == AgentState.OFFLINE) {
      return switch (e) {
        case ETCD_UP, CONFIG_PRESENT -> EnumSet.of(AgentState.READY);
          // the saved config keeps the node on VNI 1; an invalid config runs on the saved one
        case CONFIG_CHANGED, CONFIG_INVALID -> EnumSet.of(AgentState.DEGRADED);
        default -> EnumSet.of(AgentState.OFFLINE);
      };
    }
    return EnumSet.of(AgentState.READY, AgentState.DEGRADED); // a running node keeps running
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("everyEventInEveryState")
  void theNodeNeverExitsAndEndsInADefinedState(AgentState s, Event e) throws Exception {
    h = reach(s);
    fire(e);
    Set<AgentState> ok = allowed(s, e);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ok).as("%s in %s", e, s).contains(h.status().state()));
    Thread.sleep(1500); // a reconcile and a watchdog tick later it still holds
    StatusSnapshot now = h.status();
    assertThat(ok).as("%s in %s, settled: %s", e, s, now.conditionsLine()).contains(now.state());
    assertThat(h.fatal).as("never exits").isEmpty();
    if (s == AgentState.WAITING_FOR_CONFIG && e == Event.CONFIG_INVALID) {
      // nothing saved to fall back on: bad input at start is one line and exit 1 (the Agent)
      assertThat(h.startFailure)
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith("invalid network config: not valid JSON")
          .satisfies(x -> assertThat(x.getMessage()).doesNotContain("\n"));
      return;
    }
    assertThat(h.startFailure).as("the start never fails").isNull();
    if (s.programmed() && e != Event.SIGTERM) {
      assertThat(now.state().programmed()).as("a programmed node keeps forwarding").isTrue();
    }
    LifecycleModelTest.healthSaysWhatTheStateSays(now);
  }

  /**
   * An agent that started OFFLINE from its snapshot and finds etcd back empty keeps forwarding,
   * says it waits for the config, and converges once it is written: same subnet, never exits.
   */
  @Test
  void offlineThenEtcdBackEmptyKeepsForwardingAndConvergesOnTheConfig() throws Exception {
    h = reach(AgentState.OFFLINE);
    String subnet = h.status().node().subnet();
    List<Route> routes = nl.routes(Route.TABLE_MAIN);
    etcd.setAvailable(true);
    for (var l : etcd.listLeases().leases()) {
      etcd.deleteLease(l.key());
    }
    etcd.deleteRaw("config");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(h.status().conditions().get("config")).contains("is not in etcd"));
    assertThat(h.status().state()).isEqualTo(AgentState.OFFLINE);
    assertThat(h.status().notReadyReason()).as("forwarding: ready").isNull();
    assertThat(nl.routes(Route.TABLE_MAIN)).containsAll(routes);
    etcd.putNetworkConfig(NodeHarness.VXLAN);
    awaitState(h, AgentState.READY);
    assertThat(h.status().node().subnet()).isEqualTo(subnet);
    assertThat(h.fatal).isEmpty();
  }
}
