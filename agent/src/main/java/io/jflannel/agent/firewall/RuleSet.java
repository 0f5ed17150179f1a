package io.jflannel.agent.firewall;

import io.jflannel.backend.Drift;
import io.jflannel.backend.KernelDiff;
import io.jflannel.net.IpNet;
import java.util.ArrayList;
import java.util.List;

/**
 * flannel's rules for one node, in {@code iptables-save} form: chain FLANNEL-POSTRTG (nat, with
 * {@code --ip-masq}) and FLANNEL-FWD (filter, with {@code --iptables-forward-rules}), and the jumps
 * to them from POSTROUTING and FORWARD.
 *
 * <p>One family's: IPv4 ({@code iptables}, table {@code ip flannel-ipv4}) or IPv6 ({@code
 * ip6tables}, table {@code ip6 flannel-ipv6}) by the network's; a dual-stack node has one of each.
 *
 * @param network the cluster network (IPv4 or IPv6)
 * @param pod this node's subnet of the same family
 * @param masq masquerade traffic leaving the cluster network
 * @param fullyRandom MASQUERADE with {@code --random-fully} (flanneld's default)
 * @param masqExclude destinations of the same family pod traffic reaches unmasqueraded ({@code
 *     --ip-masq-exclude}): a RETURN each, before the MASQUERADE rules
 * @param forward accept forwarding from and to the cluster network
 */
public record RuleSet(
    IpNet network,
    IpNet pod,
    boolean masq,
    boolean fullyRandom,
    List<IpNet> masqExclude,
    boolean forward) {
  static final String MASQ_COMMENT = "flanneld masq";
  static final String FWD_COMMENT = "flanneld forward";
  static final String NAT_CHAIN = "FLANNEL-POSTRTG";
  static final String FWD_CHAIN = "FLANNEL-FWD";

  /** True for the IPv6 rules. */
  boolean v6() {
    return network.isIpv6();
  }

  /** The family's multicast range, never masqueraded. */
  String multicast() {
    return v6() ? "ff00::/8" : "224.0.0.0/4";
  }

  public RuleSet {
    masqExclude = List.copyOf(masqExclude);
    if (masqExclude.stream().anyMatch(n -> n.isIpv6() != network.isIpv6())) {
      throw new IllegalArgumentException(
          "masquerade exclusions " + masqExclude + " mix families with " + network);
    }
  }

  /** The nat rules of our chain. */
  List<String> natRules() {
    String c = " -m comment --comment \"" + MASQ_COMMENT + "\"";
    String masquerade = " -j MASQUERADE" + (fullyRandom ? " --random-fully" : "");
    List<String> out = new ArrayList<>();
    out.add("-A " + NAT_CHAIN + " -m mark --mark 0x4000/0x4000" + c + " -j RETURN");
    out.add("-A " + NAT_CHAIN + " -s " + pod + " -d " + network + c + " -j RETURN");
    out.add("-A " + NAT_CHAIN + " -s " + network + " -d " + pod + c + " -j RETURN");
    out.add("-A " + NAT_CHAIN + " ! -s " + network + " -d " + pod + c + " -j RETURN");
    for (IpNet x : masqExclude) {
      out.add("-A " + NAT_CHAIN + " -s " + network + " -d " + x + c + " -j RETURN");
    }
    out.add("-A " + NAT_CHAIN + " -s " + network + " ! -d " + multicast() + c + masquerade);
    out.add("-A " + NAT_CHAIN + " ! -s " + network + " -d " + network + c + masquerade);
    return out;
  }

  /** The filter rules of our chain. */
  List<String> filterRules() {
    String c = " -m comment --comment \"" + FWD_COMMENT + "\"";
    return List.of(
        "-A " + FWD_CHAIN + " -s " + network + c + " -j ACCEPT",
        "-A " + FWD_CHAIN + " -d " + network + c + " -j ACCEPT");
  }

  static String natJump() {
    return "-A POSTROUTING -m comment --comment \"" + MASQ_COMMENT + "\" -j " + NAT_CHAIN;
  }

  static String forwardJump() {
    return "-A FORWARD -m comment --comment \"" + FWD_COMMENT + "\" -j " + FWD_CHAIN;
  }

  /** Every rule wanted, jumps included. */
  List<FirewallRule> wanted() {
    List<FirewallRule> all = new ArrayList<>();
    if (masq) {
      natRules().forEach(r -> all.add(new FirewallRule("nat", r)));
      all.add(new FirewallRule("nat", natJump()));
    }
    if (forward) {
      filterRules().forEach(r -> all.add(new FirewallRule("filter", r)));
      all.add(new FirewallRule("filter", forwardJump()));
    }
    return all;
  }

  /** Compares {@code have} (rule lines of both tables) with what is wanted; our chains are ours. */
  List<Drift> diff(List<FirewallRule> have) {
    return KernelDiff.diff(
        wanted(),
        have,
        o -> {
          String r = ((FirewallRule) o).rule();
          return r.startsWith("-A " + NAT_CHAIN + " ") || r.startsWith("-A " + FWD_CHAIN + " ");
        });
  }
}
