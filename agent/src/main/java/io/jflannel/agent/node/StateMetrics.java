package io.jflannel.agent.node;

import io.jflannel.agent.cli.Version;
import io.jflannel.agent.metrics.AgentMetrics;
import java.util.List;

/** Keeps the state gauge and the degraded areas of {@link AgentMetrics} with the lifecycle. */
public final class StateMetrics {
  /** Every condition area the agent raises, for {@code jflannel_degraded{area}}. */
  static final List<String> AREAS =
      List.of(
          "kernel",
          "etcd",
          "config",
          "config-file",
          "iptables",
          "docker",
          "lease",
          "backend",
          "forward",
          "interface",
          "cni");

  private StateMetrics() {}

  /** Follows {@code lc} from now on. */
  public static void follow(AgentMetrics metrics, Lifecycle lc) {
    for (AgentState s : AgentState.values()) {
      metrics.state(s.name(), false);
    }
    for (String area : AREAS) {
      metrics.degraded(area, false);
    }
    metrics.ready.set(0);
    metrics.buildInfo(Version.get(), "");
    lc.addListener(
        (before, after) -> {
          if (before.state() != after.state()) {
            metrics.state(before.state().name(), false);
          }
          metrics.state(after.state().name(), true);
          metrics.ready.set(after.notReadyReason() == null ? 1 : 0);
          if (!before.node().backend().equals(after.node().backend())) {
            metrics.buildInfo(Version.get(), after.node().backend());
          }
          for (String area : AREAS) {
            metrics.degraded(area, after.conditions().containsKey(area));
          }
        });
  }
}
