package io.jflannel.agent.firewall;

import io.jflannel.backend.Drift;
import java.util.ArrayList;
import java.util.List;

/**
 * A dual-stack node's firewall: the IPv4 rules ({@code iptables}, or nft table {@code ip
 * flannel-ipv4}) and the IPv6 rules ({@code ip6tables}, or {@code ip6 flannel-ipv6}), applied and
 * checked together.
 */
public final class DualStackFirewall implements Firewall {
  private final Firewall v4;
  private final Firewall v6;

  public DualStackFirewall(Firewall v4, Firewall v6) {
    this.v4 = v4;
    this.v6 = v6;
  }

  @Override
  public void apply() {
    v4.apply();
    v6.apply();
  }

  @Override
  public String dataPathProblem() {
    String a = v4.dataPathProblem();
    return a != null ? a : v6.dataPathProblem();
  }

  @Override
  public List<Drift> drift() {
    List<Drift> out = new ArrayList<>(v4.drift());
    out.addAll(v6.drift());
    return out;
  }
}
