package io.jflannel.agent.firewall;

/**
 * The real {@link Firewall.Factory}: nftables or iptables as the network config says, after
 * removing what the other mode left (as flanneld does at start), so that switching the mode leaves
 * no rule of the old one behind.
 */
public final class Firewalls implements Firewall.Factory {
  /**
   * Removes every rule of ours of either mode, family and iptables flavour ({@code jflanneld
   * cleanup}); returns what was removed (with {@code dryRun}: what would be). A tool the host lacks
   * has nothing of ours.
   */
  public static java.util.List<String> removeAll(boolean dryRun) {
    java.util.List<String> done =
        new java.util.ArrayList<>(Iptables.remove(java.util.List.of("nft", "legacy"), dryRun));
    try {
      done.addAll(Nftables.removeTables(dryRun));
    } catch (FirewallCommand.ExitException e) {
      // nftables unusable here: nothing of ours there
    } catch (FirewallCommand.StuckException e) {
      throw e;
    } catch (IllegalStateException e) {
      // no nft tool on this host: nothing of ours there
    }
    return done;
  }

  /**
   * Rules each iptables back end holds, {@code legacy} and {@code nft} (-1 where the tool is
   * missing): both above 0 means the kernel runs two rule sets at once.
   */
  public static java.util.Map<String, Integer> ruleCounts() {
    return java.util.Map.of(
        "legacy",
        Iptables.count("iptables-legacy-save"),
        "nft",
        Iptables.count("iptables-nft-save"));
  }

  /**
   * Why the nftables mode's pod traffic dies in a foreign forward chain with policy drop (IPv4's,
   * or IPv6's), or null.
   */
  public static String forwardDrop(boolean ipv6) {
    return ipv6
        ? Nftables.forwardDrop("ip6", Nftables.TABLE6)
        : Nftables.forwardDrop("ip", Nftables.TABLE);
  }

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
