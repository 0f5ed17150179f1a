package io.jflannel.ctl;

import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.ReconcileReply;
import io.jflannel.admin.v1.ReconcileRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code jflanctl reconcile}: repair the drift now. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Make the local agent repair now what 'jflanctl diff' lists, and print what it repaired.",
      "Uses the admin socket (root only)."
    })
final class ReconcileCommand extends AdminQuery<ReconcileReply> {
  @Override
  ReconcileReply ask(AdminGrpc.AdminBlockingStub agent) {
    return agent.reconcile(ReconcileRequest.getDefaultInstance());
  }

  @Override
  void table(PrintWriter out, ReconcileReply r) {
    if (r.getRepaired() == 0) {
      out.println("nothing to repair");
    } else {
      out.println("repaired " + r.getRepaired() + ":");
      DiffCommand.print(out, r.getRepairedItemsList());
    }
  }
}
