package io.jflannel.agent;

import static io.jflannel.agent.AgentState.ACQUIRING;
import static io.jflannel.agent.AgentState.DEGRADED;
import static io.jflannel.agent.AgentState.OFFLINE;
import static io.jflannel.agent.AgentState.PROGRAMMING;
import static io.jflannel.agent.AgentState.READY;
import static io.jflannel.agent.AgentState.STARTING;
import static io.jflannel.agent.AgentState.STOPPING;
import static io.jflannel.agent.AgentState.WAITING_FOR_CONFIG;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state machine (docs/architecture.md, "lifecycle"): the legal transitions, and one
 * immutable {@link StatusSnapshot} published after every change, which health, readiness, metrics
 * and the admin API read. READY and DEGRADED follow from the conditions: any condition makes a
 * running node DEGRADED, none makes it READY again. STOPPING is final: later transitions are
 * ignored (a start step racing SIGTERM cannot bring the node back).
 */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
  private static final Map<AgentState, Set<AgentState>> NEXT = new EnumMap<>(AgentState.class);

  static {
    NEXT.put(STARTING, EnumSet.of(WAITING_FOR_CONFIG));
    NEXT.put(WAITING_FOR_CONFIG, EnumSet.of(OFFLINE, ACQUIRING));
    NEXT.put(OFFLINE, EnumSet.of(ACQUIRING));
    NEXT.put(ACQUIRING, EnumSet.of(PROGRAMMING));
    NEXT.put(PROGRAMMING, EnumSet.of(READY, DEGRADED));
    NEXT.put(READY, EnumSet.of(DEGRADED));
    NEXT.put(DEGRADED, EnumSet.of(READY));
    NEXT.put(STOPPING, EnumSet.noneOf(AgentState.class));
  }

  /** Told of every published snapshot change, on the thread that made it. */
  interface Listener {
    void changed(StatusSnapshot before, StatusSnapshot after);
  }

  private final LongSupplier clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, String> conditions = new HashMap<>();
  private volatile StatusSnapshot current;

  Lifecycle(LongSupplier clockMs) {
    this.clock = clockMs;
    this.current = StatusSnapshot.starting(clockMs.getAsLong());
  }

  StatusSnapshot current() {
    return current;
  }

  void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Moves to {@code next}; {@code why} says what the agent waits for (states before it is
   * programmed). READY with conditions present becomes DEGRADED.
   *
   * @return false when stopping (nothing changes)
   * @throws IllegalStateException for a transition the machine does not have (a bug)
   */
  synchronized boolean to(AgentState next, String why) {
    AgentState from = current.state();
    if (from == STOPPING) {
      return false;
    }
    if (next == READY && !conditions.isEmpty()) {
      next = DEGRADED;
    }
    if (next != STOPPING && next != from && !NEXT.get(from).contains(next)) {
      throw new IllegalStateException("no transition " + from + " -> " + next);
    }
    if (next == from && java.util.Objects.equals(why, current.waitingFor())) {
      return true;
    }
    publish(current.with(next, next.programmed() ? null : why, clock.getAsLong()));
    if (next != from) {
      String detail = next == DEGRADED ? current.conditionsLine() : why;
      LOG.info("state {} -> {}{}", from, next, detail == null ? "" : ": " + detail);
    }
    return true;
  }

  /** STOPPING without a log line (a startup error already said everything in one line). */
  synchronized void stopQuietly() {
    if (current.state() != STOPPING) {
      publish(current.with(STOPPING, null, clock.getAsLong()));
    }
  }

  /**
   * Sets ({@code what} non-null) or clears a condition of {@code area}; a running node turns
   * DEGRADED or READY accordingly. Each change is logged once.
   */
  synchronized void condition(String area, String what) {
    String before = what == null ? conditions.remove(area) : conditions.put(area, what);
    if (java.util.Objects.equals(before, what)) {
      return;
    }
    if (what != null) {
      LOG.warn("degraded: {}: {}", area, what);
    } else {
      LOG.info("recovered: {} (was: {})", area, before);
    }
    publish(current.withConditions(conditions));
    AgentState s = current.state();
    if (s == READY && !conditions.isEmpty()) {
      to(DEGRADED, null);
    } else if (s == DEGRADED && conditions.isEmpty()) {
      to(READY, null);
    }
  }

  /** Updates fields of the snapshot other than the state. */
  synchronized void update(UnaryOperator<StatusSnapshot> f) {
    publish(f.apply(current));
  }

  private void publish(StatusSnapshot next) {
    StatusSnapshot before = current;
    current = next;
    for (Listener l : listeners) {
      try {
        l.changed(before, next);
      } catch (RuntimeException e) {
        LOG.warn("status listener failed: {}", e.toString());
      }
    }
  }
}
