package io.jflannel.agent.node;

import static io.jflannel.agent.node.AgentState.ACQUIRING;
import static io.jflannel.agent.node.AgentState.DEGRADED;
import static io.jflannel.agent.node.AgentState.OFFLINE;
import static io.jflannel.agent.node.AgentState.PROGRAMMING;
import static io.jflannel.agent.node.AgentState.READY;
import static io.jflannel.agent.node.AgentState.STARTING;
import static io.jflannel.agent.node.AgentState.STOPPING;
import static io.jflannel.agent.node.AgentState.WAITING_FOR_CONFIG;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state machine (docs/architecture.md, "lifecycle"), after Curator's connection state
 * manager: every {@link LifecycleEvent} in every {@link AgentState} leads to a defined state (the
 * table {@link #next}), so no event can throw or leave the machine nowhere; an event that changes
 * nothing in a state is logged at debug level. One immutable {@link StatusSnapshot} is published
 * after every change, which health, readiness, metrics and the admin API read. READY and DEGRADED
 * follow from the conditions: any condition makes a running node DEGRADED, none makes it READY
 * again. STOPPING is final.
 */
public final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  /**
   * The state {@code event} leads to from {@code from} (before conditions turn READY into
   * DEGRADED). Total: defined for every pair.
   */
  static AgentState next(AgentState from, LifecycleEvent event) {
    if (from == STOPPING || event == LifecycleEvent.STOP) {
      return STOPPING;
    }
    return switch (event) {
        // a node programmed offline keeps forwarding while it waits; a running one keeps running
      case CONFIG_AWAITED -> from == STARTING ? WAITING_FOR_CONFIG : from;
      case PROGRAMMED_OFFLINE -> from == STARTING || from == WAITING_FOR_CONFIG ? OFFLINE : from;
      case CONFIG_READ ->
          from == STARTING || from == WAITING_FOR_CONFIG || from == OFFLINE ? ACQUIRING : from;
      case LEASE_HELD -> from == ACQUIRING ? PROGRAMMING : from;
      case SNAPSHOT_PROGRAMMED -> from == PROGRAMMING ? READY : from;
      case STOP -> STOPPING;
    };
  }

  /** Told of every published snapshot change, on the thread that made it. */
  public interface Listener {
    void changed(StatusSnapshot before, StatusSnapshot after);
  }

  private final LongSupplier clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, String> conditions = new HashMap<>();
  private volatile StatusSnapshot current;

  public Lifecycle(LongSupplier clockMs) {
    this.clock = clockMs;
    this.current = StatusSnapshot.starting(clockMs.getAsLong());
  }

  public StatusSnapshot current() {
    return current;
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Applies {@code event}; {@code why} says what the agent waits for (states before it is
   * programmed). READY with conditions present becomes DEGRADED. Never throws.
   *
   * @return the state after the event
   */
  public synchronized AgentState on(LifecycleEvent event, String why) {
    AgentState from = current.state();
    AgentState next = next(from, event);
    if (next == READY && !conditions.isEmpty()) {
      next = DEGRADED;
    }
    if (next == from) {
      if (from == STOPPING) {
        return from;
      }
      if (!next.programmed() && why != null && !why.equals(current.waitingFor())) {
        publish(current.with(next, why, clock.getAsLong())); // the same wait, a new reason
      } else if (event != LifecycleEvent.CONFIG_AWAITED && event != LifecycleEvent.CONFIG_READ) {
        LOG.debug("{} changes nothing in state {}", event, from);
      }
      return from;
    }
    publish(current.with(next, next.programmed() ? null : why, clock.getAsLong()));
    String detail = next == DEGRADED ? current.conditionsLine() : why;
    LOG.info("state {} -> {}{}", from, next, detail == null ? "" : ": " + detail);
    return next;
  }

  /** READY or DEGRADED as the conditions say, for a running node (no other state changes). */
  private void follow() {
    AgentState s = current.state();
    if (s == READY && !conditions.isEmpty()) {
      move(DEGRADED, current.conditionsLine());
    } else if (s == DEGRADED && conditions.isEmpty()) {
      move(READY, null);
    }
  }

  private void move(AgentState to, String detail) {
    AgentState from = current.state();
    publish(current.with(to, null, clock.getAsLong()));
    LOG.info("state {} -> {}{}", from, to, detail == null ? "" : ": " + detail);
  }

  /** STOPPING without a log line (a startup error already said everything in one line). */
  public synchronized void stopQuietly() {
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
    follow();
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
