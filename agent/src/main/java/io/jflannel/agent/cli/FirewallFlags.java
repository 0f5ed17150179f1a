package io.jflannel.agent.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The masquerade and forward-rule flags of jflanneld. */
public final class FirewallFlags {
  @Option(
      names = "--ip-masq",
      description = "masquerade traffic from containers to outside the cluster network",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean ipMasq;

  @Option(
      names = "--ip-masq-fully-random-disable",
      description = "MASQUERADE without --random-fully (default: with it, as flanneld)",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean ipMasqFullyRandomDisable;

  @Option(
      names = "--iptables-forward-rules",
      description = "add FORWARD accept rules for the cluster network (default: ${DEFAULT-VALUE})",
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1")
  boolean iptablesForwardRules;

  @Option(
      names = "--iptables-resync",
      description = "check iptables rules every N seconds (default: ${DEFAULT-VALUE})",
      defaultValue = "5")
  int iptablesResync;

  /**
   * The options these flags give.
   *
   * @throws IllegalArgumentException when the period is not positive
   */
  public FirewallOptions options() {
    if (iptablesResync < 1) {
      throw new IllegalArgumentException("--iptables-resync must be positive");
    }
    return new FirewallOptions(
        ipMasq,
        !ipMasqFullyRandomDisable,
        iptablesForwardRules,
        Duration.ofSeconds(iptablesResync));
  }
}
