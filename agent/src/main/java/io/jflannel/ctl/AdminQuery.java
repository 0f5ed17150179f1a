package io.jflannel.ctl;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.jflannel.admin.v1.AdminGrpc;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A node command that asks the local agent one question over the admin socket and prints the answer
 * as a table, or as the reply's JSON with {@code -o json}.
 */
abstract class AdminQuery<R extends Message> implements Callable<Integer> {
  @Mixin AdminFlags admin;

  @Mixin TableOrJson format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The RPC. */
  abstract R ask(AdminGrpc.AdminBlockingStub agent);

  /** Prints the reply for people. */
  abstract void table(PrintWriter out, R reply);

  /** The exit code for a reply (0 unless overridden). */
  int exitCode(R reply) {
    return ExitCodes.OK;
  }

  @Override
  public Integer call() throws Exception {
    boolean json = format.json();
    try (AdminClient c = admin.client()) {
      R reply = c.call(this::ask);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JsonFormat.printer().includingDefaultValueFields().print(reply));
      } else {
        table(out, reply);
      }
      return exitCode(reply);
    }
  }
}
