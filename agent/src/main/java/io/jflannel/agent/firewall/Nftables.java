package io.jflannel.agent.firewall;

import io.jflannel.backend.Drift;
import io.jflannel.backend.KernelDiff;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Firewall} on nftables ({@code "EnableNFTables": true}), in flanneld's layout: table {@code
 * ip flannel-ipv4} with chain {@code postrtg} (nat, postrouting, srcnat priority) for masquerade
 * and chain {@code forward} (filter, forward hook) accepting the cluster network. The rules mean
 * what the iptables mode's do ({@link RuleSet}; flanneld's own nftables rules differ in one: they
 * leave the host's traffic to remote pods unmasqueraded). Applied as one {@code nft -f} transaction
 * that creates, flushes and refills our chains; drift is the table's listing against the listing of
 * the same script applied once to a scratch table, so nft's own spelling of a rule never counts as
 * a change.
 */
final class Nftables implements Firewall {
  private static final Logger LOG = LoggerFactory.getLogger(Nftables.class);
  static final String TABLE = "flannel-ipv4";
  static final String TABLE6 = "flannel-ipv6";
  static final String NAT_CHAIN = "postrtg";
  static final String FWD_CHAIN = "forward";

  static final String SCRATCH = "jflannel-scratch";

  private final RuleSet rules;
  private volatile List<FirewallRule> canonical;

  Nftables(RuleSet rules) {
    this.rules = rules;
  }

  /** Our table's name: flanneld's, one per family. */
  String table() {
    return rules.v6() ? TABLE6 : TABLE;
  }

  /** {@code ip} or {@code ip6}: the nft family of the table and of its matches. */
  private String family() {
    return rules.v6() ? "ip6" : "ip";
  }

  /** The transaction for our table: table, chains (flushed) and rules. */
  String script() {
    return script(table());
  }

  private String script(String table) {
    String t = family() + " " + table;
    String ip = family();
    List<String> lines = new ArrayList<>();
    lines.add("add table " + t + " { comment \"rules for " + table + "\" ; }");
    String net = rules.network().toString();
    if (rules.masq()) {
      String masquerade = rules.fullyRandom() ? "masquerade fully-random" : "masquerade";
      String pod = rules.pod().toString();
      lines.add(
          "add chain "
              + t
              + " "
              + NAT_CHAIN
              + " { type nat hook postrouting priority srcnat ;"
              + " comment \"chain to manage traffic masquerading by flannel\" ; }");
      lines.add("flush chain " + t + " " + NAT_CHAIN);
      List<String> nat = new ArrayList<>();
      nat.add("meta mark and 0x4000 == 0x4000 return");
      nat.add(ip + " saddr " + pod + " " + ip + " daddr " + net + " return");
      nat.add(ip + " saddr " + net + " " + ip + " daddr " + pod + " return");
      nat.add(ip + " saddr != " + net + " " + ip + " daddr " + pod + " return");
      rules
          .masqExclude()
          .forEach(x -> nat.add(ip + " saddr " + net + " " + ip + " daddr " + x + " return"));
      nat.add(
          ip + " saddr " + net + " " + ip + " daddr != " + rules.multicast() + " " + masquerade);
      nat.add(ip + " saddr != " + net + " " + ip + " daddr " + net + " " + masquerade);
      nat.forEach(r -> lines.add("add rule " + t + " " + NAT_CHAIN + " " + r));
    }
    if (rules.forward()) {
      lines.add(
          "add chain "
              + t
              + " "
              + FWD_CHAIN
              + " { type filter hook forward priority filter ;"
              + " comment \"chain to accept flannel traffic\" ; }");
      lines.add("flush chain " + t + " " + FWD_CHAIN);
      lines.add("add rule " + t + " " + FWD_CHAIN + " " + ip + " saddr " + net + " accept");
      lines.add("add rule " + t + " " + FWD_CHAIN + " " + ip + " daddr " + net + " accept");
    }
    return String.join("\n", lines) + "\n";
  }

  @Override
  public void apply() {
    if (!rules.masq() && !rules.forward()) {
      cleanUp();
      return;
    }
    FirewallCommand.run(List.of("nft", "-f", "-"), script());
    LOG.info(
        "nftables rules applied (table {} {}): masquerade {}, forward {}",
        family(),
        table(),
        rules.masq(),
        rules.forward());
  }

  @Override
  public List<Drift> drift() {
    if (!rules.masq() && !rules.forward()) {
      return List.of();
    }
    return KernelDiff.diff(canonical(), listing(family(), table()), o -> true);
  }

  /** Our rules as this host's nft prints them: written into a scratch table, read, deleted. */
  private List<FirewallRule> canonical() {
    List<FirewallRule> c = canonical;
    if (c == null) {
      FirewallCommand.run(List.of("nft", "-f", "-"), script(SCRATCH));
      try {
        c = listing(family(), SCRATCH);
      } finally {
        FirewallCommand.run(List.of("nft", "delete", "table", family(), SCRATCH), null);
      }
      canonical = c;
    }
    return c;
  }

  /**
   * nftables drops a packet that any base chain of a hook drops, whatever our chain accepted: a
   * foreign forward chain with policy drop (Docker's iptables-nft FORWARD DROP) kills pod traffic
   * through this node while our rules look fine.
   */
  @Override
  public String dataPathProblem() {
    return forwardDrop(family(), table());
  }

  /**
   * A base chain of the forward hook of {@code family} (or inet) other than {@code ours}' with
   * policy drop: nftables drops what any of them drops; null when there is none (or no nft).
   */
  static String forwardDrop(String family, String ours) {
    FirewallCommand.Result r =
        FirewallCommand.tryRunIfInstalled(List.of("nft", "-j", "list", "chains")).orElse(null);
    if (r == null || r.exit() != 0) {
      return null; // no nft on this host, or it cannot list
    }
    List<String> drops = new ArrayList<>();
    if (!(io.jflannel.lease.Json.parse(r.out()).path("nftables")
        instanceof com.fasterxml.jackson.jr.stree.JrsArray root)) {
      return null;
    }
    for (var it = root.elements(); it.hasNext(); ) {
      var c = it.next().path("chain");
      String fam = io.jflannel.lease.Json.text(c.path("family"));
      String table = io.jflannel.lease.Json.text(c.path("table"));
      if ("forward".equals(io.jflannel.lease.Json.text(c.path("hook")))
          && "drop".equals(io.jflannel.lease.Json.text(c.path("policy")))
          && (family.equals(fam) || "inet".equals(fam))
          && !ours.equals(table)) {
        drops.add(fam + " " + table + " " + io.jflannel.lease.Json.text(c.path("name")));
      }
    }
    return drops.isEmpty()
        ? null
        : "the forward chain "
            + String.join(", ", drops)
            + " has policy drop: nftables drops pod traffic that any base chain of the hook"
            + " drops, whatever table "
            + ours
            + " accepts; set its policy to accept (e.g. iptables -P FORWARD ACCEPT) or run"
            + " without EnableNFTables (see docs/troubleshooting.md#forward-drop)";
  }

  /** A table as nft lists it: one entry per chain header and rule, comments left out. */
  static List<FirewallRule> listing(String family, String table) {
    FirewallCommand.Result r =
        FirewallCommand.tryRun(List.of("nft", "list", "table", family, table));
    List<FirewallRule> out = new ArrayList<>();
    if (r.exit() != 0) {
      return out; // no table: every rule is missing
    }
    String chain = null;
    for (String raw : r.out().lines().toList()) {
      String l = raw.strip();
      if (l.startsWith("chain ") && l.endsWith("{")) {
        chain = l.substring(6, l.length() - 1).strip();
      } else if (l.equals("}")) {
        chain = null;
      } else if (chain != null && !l.isEmpty() && !l.startsWith("comment ")) {
        out.add(new FirewallRule("nft", chain + ": " + l));
      }
    }
    return out;
  }

  /**
   * {@link #cleanUp()}, on a host that may have no nft at all (then there is nothing to remove).
   */
  static void cleanUpIfPresent() {
    try {
      cleanUp();
    } catch (RuntimeException e) {
      LOG.debug("nftables: nothing to clean up ({})", e.getMessage());
    }
  }

  /**
   * Removes our tables (the iptables mode, or no rule asked for): one listing of the tables, then a
   * delete for each of ours that is there.
   */
  static void cleanUp() {
    removeTables(false);
  }

  /** Removes our tables of both families; returns which (with {@code dryRun}: would be). */
  static List<String> removeTables(boolean dryRun) {
    List<String> present =
        FirewallCommand.run(List.of("nft", "list", "tables"), null)
            .lines()
            .map(String::strip)
            .toList();
    List<String> done = new ArrayList<>();
    for (String t : List.of("ip " + TABLE, "ip6 " + TABLE6)) {
      if (present.contains("table " + t)) {
        if (!dryRun) {
          FirewallCommand.run(
              List.of("nft", "delete", "table", t.split(" ")[0], t.split(" ")[1]), null);
          LOG.info("nftables: removed table {}", t);
        }
        done.add("nft table " + t);
      }
    }
    return done;
  }
}
