package io.jflannel.agent.firewall;

import io.jflannel.backend.Drift;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link Firewall} for the agent's unit tests: holds rule lines as a table would,
 * counts applies, and can lose its rules as if someone flushed the chains.
 */
public final class RecordingFirewall implements Firewall {
  private final RuleSet rules;
  private final List<FirewallRule> table = new ArrayList<>();
  private int applies;

  public RecordingFirewall(RuleSet rules) {
    this.rules = rules;
  }

  @Override
  public synchronized void apply() {
    applies++;
    table.removeIf(r -> rules.diff(List.of(r)).stream().anyMatch(d -> d.have() != null));
    for (FirewallRule r : rules.wanted()) {
      if (!table.contains(r)) {
        table.add(r);
      }
    }
  }

  @Override
  public synchronized List<Drift> drift() {
    return rules.diff(List.copyOf(table));
  }

  /** Someone flushed our rules. */
  synchronized void flush() {
    table.clear();
  }

  synchronized List<FirewallRule> rules() {
    return List.copyOf(table);
  }

  synchronized int applies() {
    return applies;
  }
}
