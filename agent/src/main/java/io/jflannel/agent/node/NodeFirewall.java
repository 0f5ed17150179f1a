package io.jflannel.agent.node;

import io.jflannel.agent.cli.FirewallOptions;
import io.jflannel.agent.firewall.DualStackFirewall;
import io.jflannel.agent.firewall.Firewall;
import io.jflannel.agent.firewall.FirewallCommand;
import io.jflannel.agent.firewall.RuleSet;
import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.IpNet;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's masquerade and forward rules at start: built for its subnets, then applied. */
final class NodeFirewall {
  private static final Logger LOG = LoggerFactory.getLogger(NodeFirewall.class);

  private final FirewallOptions o;
  private final Firewall.Factory factory;
  private final Lifecycle lc;
  private final AgentMetrics metrics;

  NodeFirewall(FirewallOptions o, Firewall.Factory factory, Lifecycle lc, AgentMetrics metrics) {
    this.o = o;
    this.factory = factory;
    this.lc = lc;
    this.metrics = metrics;
  }

  /**
   * The node's rules: IPv4's, and with {@code subnet6} (dual-stack) IPv6's beside them; IPv6's only
   * in an IPv6-only network ({@code subnet} null).
   */
  Firewall build(NetworkConfig config, Ipv4Net subnet, Ipv6Net subnet6) {
    warnUnused(config, subnet != null, subnet6 != null);
    Firewall v6 = subnet6 == null ? null : build(config, config.ipv6().network(), subnet6);
    if (subnet == null) {
      return v6;
    }
    Firewall v4 = build(config, config.network(), subnet);
    return v6 == null ? v4 : new DualStackFirewall(v4, v6);
  }

  private Firewall build(NetworkConfig config, IpNet network, IpNet pod) {
    return factory.create(
        new RuleSet(
            network, pod, o.ipMasq(), o.fullyRandom(), o.masqExclude(network), o.forwardRules()),
        config.nftables());
  }

  /** Exclusions that cannot take effect: without --ip-masq, or of a family the network lacks. */
  private void warnUnused(NetworkConfig config, boolean v4, boolean v6) {
    if (o.masqExclude().isEmpty()) {
      return;
    }
    if (!o.ipMasq()) {
      LOG.warn("--ip-masq-exclude {} has no effect without --ip-masq", o.masqExclude());
      return;
    }
    List<IpNet> unused = o.masqExclude().stream().filter(n -> n.isIpv6() ? !v6 : !v4).toList();
    if (!unused.isEmpty()) {
      LOG.warn(
          "--ip-masq-exclude {}: the network ({}) has no subnet of that family here; ignored",
          unused,
          config.networks());
    }
  }

  /**
   * The rules at start. A tool that is missing is one line and exit; one that is refused or stuck
   * (the xtables lock held by kube-proxy or an operator's iptables) leaves the node DEGRADED with
   * the reason, and the resync loop applies the rules once it can.
   *
   * @param stopping true when the node is being stopped (then a refusal ends the start)
   */
  void apply(Firewall fw, NetworkConfig config, boolean stopping) {
    String what = config.nftables() ? "nftables" : "iptables";
    try {
      fw.apply();
      metrics.iptablesRestores.inc();
    } catch (FirewallCommand.ExitException | FirewallCommand.StuckException e) {
      if (stopping) {
        throw new StartupException(what + ": " + e.getMessage());
      }
      lc.condition(
          "iptables", e.getMessage() + "; retrying every " + o.resync().toSeconds() + " s");
    } catch (RuntimeException e) {
      throw new StartupException(what + ": " + e.getMessage());
    }
  }
}
