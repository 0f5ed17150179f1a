package io.jflannel.agent.firewall;

import io.jflannel.backend.Drift;
import java.util.List;

/**
 * The node's masquerade and forward rules (docs/architecture.md, "Kernel state per backend"):
 * {@link Iptables} or {@link Nftables} on a real node ({@link Firewalls}), {@link
 * RecordingFirewall} in tests.
 */
public interface Firewall {
  /** Writes our chains (replacing their content) and adds the jumps that are missing. */
  void apply();

  /** Rules and jumps missing, and rules in our chains that should not be there. */
  List<Drift> drift();

  /**
   * Why pod traffic dies although our rules are in place (nftables mode: another base chain of the
   * forward hook drops it), with the fix; null when nothing is seen.
   */
  default String dataPathProblem() {
    return null;
  }

  /** Makes the firewall for one node's rules, in the nftables or the iptables mode. */
  interface Factory {
    Firewall create(RuleSet rules, boolean nftables);
  }
}
