package io.jflannel.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The state machine as a model: every event in every state, conditions set and cleared on top.
 * Nothing throws, every pair leads to a state of the table, and health says what the state says.
 */
class LifecycleModelTest {
  /** The events that bring a fresh machine into each state. */
  static final Map<AgentState, List<Object>> PATH = new EnumMap<>(AgentState.class);

  static {
    PATH.put(AgentState.STARTING, List.of());
    PATH.put(AgentState.WAITING_FOR_CONFIG, List.of(LifecycleEvent.CONFIG_AWAITED));
    PATH.put(
        AgentState.OFFLINE,
        List.of(LifecycleEvent.CONFIG_AWAITED, LifecycleEvent.PROGRAMMED_OFFLINE));
    PATH.put(AgentState.ACQUIRING, List.of(LifecycleEvent.CONFIG_READ));
    PATH.put(
        AgentState.PROGRAMMING, List.of(LifecycleEvent.CONFIG_READ, LifecycleEvent.LEASE_HELD));
    PATH.put(
        AgentState.READY,
        List.of(
            LifecycleEvent.CONFIG_READ,
            LifecycleEvent.LEASE_HELD,
            LifecycleEvent.SNAPSHOT_PROGRAMMED));
    PATH.put(
        AgentState.DEGRADED,
        List.of(
            LifecycleEvent.CONFIG_READ,
            LifecycleEvent.LEASE_HELD,
            LifecycleEvent.SNAPSHOT_PROGRAMMED,
            "docker"));
    PATH.put(AgentState.STOPPING, List.of(LifecycleEvent.STOP));
  }

  static Lifecycle in(AgentState s) {
    Lifecycle lc = new Lifecycle(System::currentTimeMillis);
    for (Object step : PATH.get(s)) {
      if (step instanceof LifecycleEvent e) {
        lc.on(e, "because");
      } else {
        lc.condition((String) step, "down");
      }
    }
    assertThat(lc.current().state()).as("reached").isEqualTo(s);
    return lc;
  }

  /** What /readyz and the admin health service read agrees with the state. */
  static void healthSaysWhatTheStateSays(StatusSnapshot s) {
    boolean unreadyCondition =
        s.conditions().keySet().stream().anyMatch(StatusSnapshot.UNREADY::contains);
    if (s.state().programmed() && !unreadyCondition) {
      assertThat(s.notReadyReason()).as("%s", s.state()).isNull();
    } else {
      assertThat(s.notReadyReason()).as("%s", s.state()).isNotBlank();
    }
    assertThat(s.state() == AgentState.DEGRADED)
        .isEqualTo(
            s.state().programmed() && s.state() != AgentState.OFFLINE && !s.conditions().isEmpty());
  }

  @Test
  void everyEventInEveryStateLeadsToTheTablesState() {
    for (AgentState from : AgentState.values()) {
      for (LifecycleEvent e : LifecycleEvent.values()) {
        for (boolean withCondition : new boolean[] {false, true}) {
          Lifecycle lc = in(from);
          if (withCondition) {
            lc.condition("iptables", "a rule is refused");
          }
          AgentState before = lc.current().state();
          AgentState[] got = new AgentState[1];
          assertThatCode(() -> got[0] = lc.on(e, "why"))
              .as("%s in %s", e, from)
              .doesNotThrowAnyException();
          AgentState want = Lifecycle.next(before, e);
          if (want == AgentState.READY && !lc.current().conditions().isEmpty()) {
            want = AgentState.DEGRADED;
          }
          if (before == AgentState.DEGRADED && want == AgentState.DEGRADED) {
            want = AgentState.DEGRADED;
          }
          assertThat(got[0]).as("%s in %s", e, before).isEqualTo(lc.current().state());
          assertThat(got[0]).as("%s in %s", e, before).isEqualTo(want);
          healthSaysWhatTheStateSays(lc.current());
        }
      }
    }
  }

  @Test
  void theTableIsTotalAndOnlyStopLeavesNoWayBack() {
    for (AgentState from : AgentState.values()) {
      for (LifecycleEvent e : LifecycleEvent.values()) {
        AgentState to = Lifecycle.next(from, e);
        assertThat(to).as("%s --%s-->", from, e).isNotNull();
        if (from.programmed() && e != LifecycleEvent.STOP) {
          assertThat(to.programmed() || to == AgentState.ACQUIRING)
              .as("a programmed node never goes back to waiting: %s --%s--> %s", from, e, to)
              .isTrue();
        }
      }
      assertThat(Lifecycle.next(from, LifecycleEvent.STOP)).isEqualTo(AgentState.STOPPING);
    }
    assertThat(Lifecycle.next(AgentState.OFFLINE, LifecycleEvent.CONFIG_AWAITED))
        .as("etcd back without a config: the offline node keeps forwarding")
        .isEqualTo(AgentState.OFFLINE);
  }

  @Test
  void conditionsMoveOnlyARunningNodeAndUnreadyOnlyWhereTheDataPathIsDead() {
    for (AgentState from : AgentState.values()) {
      for (String area : List.of("etcd", "config", "kernel", "forward", "interface", "cni")) {
        Lifecycle lc = in(from);
        AgentState before = lc.current().state();
        lc.condition(area, "broken");
        AgentState during = lc.current().state();
        if (before == AgentState.READY) {
          assertThat(during).isEqualTo(AgentState.DEGRADED);
        } else {
          assertThat(during).isEqualTo(before);
        }
        healthSaysWhatTheStateSays(lc.current());
        lc.condition(area, null);
        assertThat(lc.current().state())
            .isEqualTo(before == AgentState.DEGRADED ? AgentState.DEGRADED : before);
        healthSaysWhatTheStateSays(lc.current());
      }
    }
    assertThat(StatusSnapshot.UNREADY).isEqualTo(Set.of("kernel", "forward", "interface", "cni"));
  }
}
