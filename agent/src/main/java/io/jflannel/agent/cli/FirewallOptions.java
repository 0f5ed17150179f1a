package io.jflannel.agent.cli;

import java.time.Duration;

/**
 * The node's masquerade and forward rules (flanneld's flags); built by {@link FirewallFlags} only,
 * so two of its booleans can never be swapped by position.
 *
 * @param ipMasq {@code --ip-masq}: masquerade pod traffic leaving the cluster network
 * @param fullyRandom MASQUERADE with {@code --random-fully} (off with {@code
 *     --ip-masq-fully-random-disable})
 * @param forwardRules {@code --iptables-forward-rules}: accept the cluster network in FORWARD
 * @param resync {@code --iptables-resync}: how often the rules are checked
 */
public record FirewallOptions(
    boolean ipMasq, boolean fullyRandom, boolean forwardRules, Duration resync) {}
