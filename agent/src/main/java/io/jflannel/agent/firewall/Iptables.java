package io.jflannel.agent.firewall;

import io.jflannel.backend.Drift;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Firewall} on iptables: a {@link RuleSet} applied with {@code iptables-restore --noflush -w
 * 5} (a bounded wait for the xtables lock) of the flavour the host uses (nft or legacy, detected as
 * kube-proxy does: whichever holds more rules).
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

  /** {@code -A} lines {@code cmd} (an iptables-save) prints, -1 when it cannot run. */
  static int count(String cmd) {
    try {
      return (int)
          FirewallCommand.run(List.of(cmd), null).lines().filter(l -> l.startsWith("-A")).count();
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
    return FirewallCommand.run(List.of(cmd("save"), "-t", t), null)
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
      FirewallCommand.run(List.of(cmd("restore"), "--noflush", "-w", lockWait()), in.toString());
      LOG.info(
          "{} ({}) rules applied: masquerade {}, forward {}",
          rules.v6() ? "ip6tables" : "iptables",
          flavour,
          rules.masq(),
          rules.forward());
    }
  }

  /**
   * Removes the iptables mode's chains and jumps (the nftables mode is on): each only when present,
   * in one {@code iptables-restore} per table. A host without iptables has nothing to remove.
   */
  static void cleanUp() {
    String flavour;
    try {
      flavour = detectFlavour();
    } catch (RuntimeException e) {
      return;
    }
    remove(List.of(flavour), false);
  }

  /**
   * Removes our chains and jumps of the given flavours ({@code nft}, {@code legacy}), both
   * families; returns what was removed (with {@code dryRun}: what would be).
   */
  static List<String> remove(List<String> flavours, boolean dryRun) {
    String[][] tables = {
      {"nat", RuleSet.NAT_CHAIN, RuleSet.natJump()},
      {"filter", RuleSet.FWD_CHAIN, RuleSet.forwardJump()}
    };
    List<String> done = new ArrayList<>();
    for (String flavour : flavours) {
      for (String family : List.of("iptables-", "ip6tables-")) {
        for (String[] t : tables) {
          String what = remove(family + flavour, t, dryRun);
          if (what != null) {
            done.add(what);
          }
        }
      }
    }
    return done;
  }

  /** Removes one table's chain and jump of one tool ({@code iptables-nft}, ...), if present. */
  private static String remove(String tool, String[] t, boolean dryRun) {
    FirewallCommand.Result save =
        FirewallCommand.tryRunIfInstalled(List.of(tool + "-save", "-t", t[0])).orElse(null);
    if (save == null) {
      return null; // the host has no such tool: nothing of ours in it
    }
    List<String> lines =
        save.exit() == 0 ? save.out().lines().map(String::strip).toList() : List.of();
    boolean chain = lines.stream().anyMatch(l -> l.startsWith(":" + t[1] + " "));
    if (!chain) {
      return null;
    }
    String what = tool + " -t " + t[0] + ": chain " + t[1] + " and its jump";
    if (dryRun) {
      return what;
    }
    StringBuilder in = new StringBuilder("*").append(t[0]).append('\n');
    if (lines.contains(t[2])) {
      in.append(t[2].replaceFirst("^-A ", "-D ")).append('\n');
    }
    in.append(':').append(t[1]).append(" - [0:0]\n-X ").append(t[1]).append("\nCOMMIT\n");
    FirewallCommand.run(List.of(tool + "-restore", "--noflush", "-w", lockWait()), in.toString());
    LOG.info("{}: removed chain {}", tool, t[1]);
    return what;
  }

  /** The bounded wait for the xtables lock another process (kube-proxy) may hold. */
  private static String lockWait() {
    return Integer.toString(FirewallCommand.LOCK_WAIT_SECONDS);
  }

  private String cmd(String verb) {
    return (rules.v6() ? "ip6tables-" : "iptables-") + flavour + "-" + verb;
  }
}
