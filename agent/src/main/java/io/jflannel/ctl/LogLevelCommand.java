package io.jflannel.ctl;

import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.LogLevelReply;
import io.jflannel.admin.v1.LogLevelRequest;
import io.jflannel.admin.v1.LoggerLevel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jflanctl log-level [LEVEL [LOGGER]]}: the local agent's log levels, changed live. */
@Command(
    name = "log-level",
    mixinStandardHelpOptions = true,
    description = {
      "Set the local agent's log level without a restart (the agent's own with LEVEL alone, one"
          + " logger or package with LOGGER), or list the levels set when LEVEL is left out.",
      "The change lasts until the agent restarts; --log-level holds again then.",
      "Uses the admin socket (root only)."
    })
final class LogLevelCommand extends AdminQuery<LogLevelReply> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "LEVEL",
      description = "error, warn, info, debug, or trace")
  String level = "";

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOGGER",
      description = "a class or package, e.g. io.jflannel.backend.vxlan (default: the agent)")
  String logger = "";

  @Override
  LogLevelReply ask(AdminGrpc.AdminBlockingStub agent) {
    return agent.logLevel(LogLevelRequest.newBuilder().setLevel(level).setLogger(logger).build());
  }

  @Override
  void table(PrintWriter out, LogLevelReply r) {
    if (!level.isEmpty()) {
      out.println(
          (logger.isEmpty() ? "agent" : logger)
              + ": "
              + level.toLowerCase(java.util.Locale.ROOT)
              + " (was "
              + r.getPrevious()
              + "; until the agent restarts)");
      if (!r.getNote().isEmpty()) {
        out.println("note: " + r.getNote());
      }
      return;
    }
    for (LoggerLevel l : r.getLevelsList()) {
      out.printf("%-40s %s%n", l.getLogger(), l.getLevel());
    }
  }
}
