package io.jflannel.ctl;

import io.jflannel.admin.v1.ReconcileReply;
import io.jflannel.admin.v1.ReconcileRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code jflanctl reconcile}: repair the drift now. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Make the local agent repair now what 'jflanctl diff' lists, and print what it repaired.",
      "Uses the admin socket (root only)."
    })
final class ReconcileCommand implements Callable<Integer> {
  @Mixin AdminFlags admin;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (AdminClient c = admin.client()) {
      ReconcileReply r = c.call(a -> a.reconcile(ReconcileRequest.getDefaultInstance()));
      PrintWriter out = spec.commandLine().getOut();
      if (r.getRepaired() == 0) {
        out.println("nothing to repair");
      } else {
        out.println("repaired " + r.getRepaired() + ":");
        DiffCommand.print(out, r.getRepairedItemsList());
      }
      return ExitCodes.OK;
    }
  }
}
