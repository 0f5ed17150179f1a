package io.jflannel.agent.firewall;

/**
 * The real {@link Firewall.Factory}: nftables or iptables as the network config says, after
 * removing what the other mode left (as flanneld does at start), so that switching the mode leaves
 * no rule of the old one behind.
 */
public final class Firewalls implements Firewall.Factory {
  @Override
  public Firewall create(RuleSet rules, boolean nftables) {
    if (nftables) {
      Iptables.cleanUp();
      return new Nftables(rules);
    }
    Nftables.cleanUpIfPresent();
    return new Iptables(rules);
  }
}
