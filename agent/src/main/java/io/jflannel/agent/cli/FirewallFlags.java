package io.jflannel.agent.cli;

import io.jflannel.net.IpNet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
      names = "--ip-masq-exclude",
      split = ",",
      paramLabel = "CIDR",
      description =
          "with --ip-masq, pod traffic to these networks (either family) keeps the pod's address")
  List<String> ipMasqExclude = new ArrayList<>();

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
   * @throws IllegalArgumentException when the period is not positive or an exclusion not a CIDR
   */
  public FirewallOptions options() {
    if (iptablesResync < 1) {
      throw new IllegalArgumentException("--iptables-resync must be positive");
    }
    List<IpNet> exclude = new ArrayList<>();
    for (String c : ipMasqExclude) {
      if (c.isBlank()) {
        continue;
      }
      try {
        IpNet n = IpNet.parse(c.strip());
        if (!exclude.contains(n)) {
          exclude.add(n);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--ip-masq-exclude: " + e.getMessage(), e);
      }
    }
    return new FirewallOptions(
        ipMasq,
        !ipMasqFullyRandomDisable,
        List.copyOf(exclude),
        iptablesForwardRules,
        Duration.ofSeconds(iptablesResync));
  }
}
