package io.jflannel.agent.firewall;

import io.jflannel.netlink.KernelObject;
import java.util.function.IntFunction;

/**
 * One rule line of a table, as {@code iptables-save} prints it (e.g. {@code -A FLANNEL-FWD -s
 * 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT}).
 *
 * @param table {@code nat} or {@code filter}
 * @param rule the rule
 */
record FirewallRule(String table, String rule) implements KernelObject {
  @Override
  public FirewallRule key() {
    return this;
  }

  @Override
  public String type() {
    return "iptables";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    return "-t " + table + " " + rule;
  }
}
