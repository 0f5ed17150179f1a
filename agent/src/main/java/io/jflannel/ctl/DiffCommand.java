package io.jflannel.ctl;

import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.DiffItem;
import io.jflannel.admin.v1.DiffReply;
import io.jflannel.admin.v1.DiffRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code jflanctl diff}: what the leases call for against what this node's kernel holds. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the kernel state the leases call for (routes, neighbours, FDB entries, device"
          + " addresses) and the agent's iptables rules with what this node holds.",
      "Lists what is missing, extra or wrong. Exit code 0 when clean, 1 when there is drift"
          + " (the agent repairs it on its next reconcile; 'jflanctl reconcile' does it now).",
      "Reads the admin socket (root only)."
    })
final class DiffCommand extends AdminQuery<DiffReply> {
  @Override
  DiffReply ask(AdminGrpc.AdminBlockingStub agent) {
    return agent.diff(DiffRequest.getDefaultInstance());
  }

  @Override
  void table(PrintWriter out, DiffReply r) {
    if (r.getItemsCount() == 0) {
      out.println("no drift: the kernel and iptables match the leases");
    } else {
      print(out, r.getItemsList());
    }
  }

  @Override
  int exitCode(DiffReply r) {
    return r.getItemsCount() == 0 ? ExitCodes.OK : ExitCodes.DRIFT;
  }

  /** One line per item: KIND TYPE object (wrong: want, then have). */
  static void print(PrintWriter out, List<DiffItem> items) {
    String fmt = "%-8s %-10s %s%n";
    out.printf(fmt, "KIND", "TYPE", "OBJECT");
    for (DiffItem d : items) {
      String kind = d.getKind().name().toLowerCase(Locale.ROOT);
      switch (d.getKind()) {
        case MISSING -> out.printf(fmt, kind, d.getType(), d.getWant());
        case EXTRA -> out.printf(fmt, kind, d.getType(), d.getHave());
        default -> {
          out.printf(fmt, kind, d.getType(), "want: " + d.getWant());
          out.printf(fmt, "", "", "have: " + d.getHave());
        }
      }
    }
  }
}
