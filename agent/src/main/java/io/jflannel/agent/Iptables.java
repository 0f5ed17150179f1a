package io.jflannel.agent;

import io.jflannel.backend.Drift;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Firewall} on iptables: a {@link RuleSet} applied with {@code iptables-restore --noflush
 * -w} of the flavour the host uses (nft or legacy, detected as kube-proxy does: whichever holds
 * more rules).
 */
final class Iptables implements Firewall {
  private static final Logger LOG = LoggerFactory.getLogger(Iptables.class);

  private final String flavour;
  private final RuleSet rules;

  Iptables(RuleSet rules) {
    this.rules = rules;
    this.flavour = detectFlavour();
  }

  static String detectFlavour() {
    int nft = count("iptables-nft-save");
    int legacy = count("iptables-legacy-save");
    return legacy > nft ? "legacy" : "nft";
  }

  private static int count(String cmd) {
    try {
      return (int) run(List.of(cmd), null).lines().filter(l -> l.startsWith("-A")).count();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  String flavour() {
    return flavour;
  }

  @Override
  public List<Drift> drift() {
    List<FirewallRule> have = new ArrayList<>();
    if (rules.masq()) {
      table("nat").forEach(l -> have.add(new FirewallRule("nat", l)));
    }
    if (rules.forward()) {
      table("filter").forEach(l -> have.add(new FirewallRule("filter", l)));
    }
    return rules.diff(have);
  }

  private List<String> table(String t) {
    return run(List.of(cmd("save"), "-t", t), null)
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("-A "))
        .toList();
  }

  @Override
  public void apply() {
    StringBuilder in = new StringBuilder();
    if (rules.masq()) {
      boolean jump = table("nat").contains(RuleSet.natJump());
      in.append("*nat\n:").append(RuleSet.NAT_CHAIN).append(" - [0:0]\n");
      rules.natRules().forEach(r -> in.append(r).append('\n'));
      if (!jump) {
        in.append(RuleSet.natJump()).append('\n');
      }
      in.append("COMMIT\n");
    }
    if (rules.forward()) {
      boolean jump = table("filter").contains(RuleSet.forwardJump());
      in.append("*filter\n:").append(RuleSet.FWD_CHAIN).append(" - [0:0]\n");
      rules.filterRules().forEach(r -> in.append(r).append('\n'));
      if (!jump) {
        in.append(RuleSet.forwardJump()).append('\n');
      }
      in.append("COMMIT\n");
    }
    if (in.length() > 0) {
      run(List.of(cmd("restore"), "--noflush", "-w"), in.toString());
      LOG.info(
          "iptables ({}) rules applied: masquerade {}, forward {}",
          flavour,
          rules.masq(),
          rules.forward());
    }
  }

  private String cmd(String verb) {
    return "iptables-" + flavour + "-" + verb;
  }

  static String run(List<String> cmd, String stdin) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " exited " + p.exitValue() + ": " + err.strip());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
