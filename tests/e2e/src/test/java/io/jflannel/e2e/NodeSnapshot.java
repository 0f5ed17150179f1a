package io.jflannel.e2e;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A node's kernel and file state as an operator would list it — {@code ip -d link}, the routes of
 * every table and both families, permanent neighbours, {@code bridge fdb}, {@code
 * iptables-save}/{@code ip6tables-save}, {@code nft list ruleset}, and the files where the agent
 * writes — normalized only where the kernel or iptables change things by themselves: counters and
 * bridge timers, neighbours and FDB entries learned from traffic, the kernel's per-link IPv6
 * link-local and multicast routes and multicast FDB entries (they come with a link's carrier and
 * DAD, whenever that is), and the empty built-in chains iptables-nft leaves behind a table it once
 * made (ACCEPT, no rule: the same as no table).
 */
final class NodeSnapshot {
  private static final Pattern TIMERS = Pattern.compile(" \\w+_timer +[\\d.]+");
  private static final Pattern KERNEL_V6 =
      Pattern.compile("fe80::|ff00::/8|^\\s*33:33:|^\\s*01:00:5e:");
  private static final Set<String> IPTABLES_NFT_TABLES =
      Set.of("filter", "nat", "mangle", "raw", "security");

  private NodeSnapshot() {}

  /** The snapshot of {@code n} (its namespace, and its subnet.env, CNI and state directories). */
  static String of(Node n) throws IOException {
    String ns = n.ns();
    List<String> parts = new ArrayList<>();
    parts.add("## links\n" + TIMERS.matcher(Cmd.in(ns, "ip", "-d", "link", "show")).replaceAll(""));
    parts.add("## routes\n" + notKernelV6(Cmd.in(ns, "ip", "route", "show", "table", "all")));
    parts.add(
        "## routes6\n" + notKernelV6(Cmd.in(ns, "ip", "-6", "route", "show", "table", "all")));
    parts.add("## neighbours\n" + Cmd.in(ns, "ip", "neigh", "show", "nud", "permanent"));
    parts.add("## neighbours6\n" + Cmd.in(ns, "ip", "-6", "neigh", "show", "nud", "permanent"));
    parts.add("## fdb\n" + notKernelV6(permanent(Cmd.in(ns, "bridge", "fdb", "show"))));
    parts.add("## iptables\n" + rules(Cmd.in(ns, "iptables-save")));
    parts.add("## ip6tables\n" + rules(Cmd.in(ns, "ip6tables-save")));
    parts.add("## nft\n" + ownTables(ns));
    parts.add("## files\n" + files(n));
    return String.join("\n", parts);
  }

  private static String notKernelV6(String lines) {
    return String.join("\n", lines.lines().filter(l -> !KERNEL_V6.matcher(l).find()).toList());
  }

  private static String permanent(String fdb) {
    return String.join("\n", fdb.lines().filter(l -> l.contains("permanent")).toList());
  }

  /** Rules, and the policies and user chains that mean something; no counters or headers. */
  private static String rules(String save) {
    List<String> out = new ArrayList<>();
    String table = "";
    for (String l : save.lines().toList()) {
      if (l.startsWith("*")) {
        table = l;
      } else if (l.startsWith("-A ")) {
        out.add(table + " " + l);
      } else if (l.startsWith(":")) {
        String[] f = l.split(" ");
        if (!f[1].equals("ACCEPT")) { // a user chain ("-") or a policy that drops
          out.add(table + " " + f[0] + " " + f[1]);
        }
      }
    }
    return String.join("\n", out);
  }

  /** Every nft table but iptables-nft's own (those are in the iptables part). */
  private static String ownTables(String ns) {
    List<String> out = new ArrayList<>();
    for (String t : Cmd.in(ns, "nft", "list", "tables").lines().map(String::strip).toList()) {
      String[] f = t.split(" ");
      if (f.length == 3 && !IPTABLES_NFT_TABLES.contains(f[2])) {
        out.add(Cmd.in(ns, "nft", "list", "table", f[1], f[2]));
      }
    }
    return String.join("\n", out);
  }

  private static String files(Node n) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p :
        List.of(n.subnetFile(), n.adminSocket(), n.cniConfDir(), n.dir().resolve("state"))) {
      if (!Files.exists(p)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(p)) {
        s.sorted().forEach(f -> out.add(f.toString()));
      }
    }
    return String.join("\n", out);
  }
}
