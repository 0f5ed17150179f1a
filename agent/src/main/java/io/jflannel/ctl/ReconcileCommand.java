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
      "Make the local agent repair now what 'jflanctl diff' lists, and print what it repaired"
          + " and what it could not (exit code 1 when anything could not be repaired).",
      "Uses the admin socket (root only)."
    })
final class ReconcileCommand extends AdminQuery<ReconcileReply> {
  @Override
  ReconcileReply ask(AdminGrpc.AdminBlockingStub agent) {
    return agent.reconcile(ReconcileRequest.getDefaultInstance());
  }

  @Override
  void table(PrintWriter out, ReconcileReply r) {
    if (r.getRepaired() == 0 && r.getFailedItemsCount() == 0) {
      out.println("nothing to repair");
    }
    if (r.getRepaired() > 0) {
      out.println("repaired " + r.getRepaired() + ":");
      DiffCommand.print(out, r.getRepairedItemsList());
    }
    if (r.getFailedItemsCount() > 0) {
      out.println("could NOT repair " + r.getFailedItemsCount() + ":");
      DiffCommand.print(out, r.getFailedItemsList());
    }
    for (String p : r.getProblemsList()) {
      out.println("error: " + p);
    }
  }

  @Override
  int exitCode(ReconcileReply r) {
    return r.getFailedItemsCount() == 0 && r.getProblemsCount() == 0
        ? ExitCodes.OK
        : ExitCodes.FAILED;
  }
}
