package io.jflannel.agent.cli;

import io.jflannel.net.IpNet;
import java.time.Duration;
import java.util.List;

/**
 * The node's masquerade and forward rules (flanneld's flags); built by {@link FirewallFlags} only,
 * so two of its booleans can never be swapped by position.
 *
 * @param ipMasq {@code --ip-masq}: masquerade pod traffic leaving the cluster network
 * @param fullyRandom MASQUERADE with {@code --random-fully} (off with {@code
 *     --ip-masq-fully-random-disable})
 * @param masqExclude {@code --ip-masq-exclude}: destinations pod traffic reaches unmasqueraded
 * @param forwardRules {@code --iptables-forward-rules}: accept the cluster network in FORWARD
 * @param resync {@code --iptables-resync}: how often the rules are checked
 */
public record FirewallOptions(
    boolean ipMasq,
    boolean fullyRandom,
    List<IpNet> masqExclude,
    boolean forwardRules,
    Duration resync) {

  /** The exclusions of one family's network. */
  public List<IpNet> masqExclude(IpNet network) {
    return masqExclude.stream().filter(n -> n.isIpv6() == network.isIpv6()).toList();
  }
}
