package io.jflannel.ctl;

import com.google.protobuf.util.JsonFormat;
import io.jflannel.admin.v1.Peer;
import io.jflannel.admin.v1.PeersReply;
import io.jflannel.admin.v1.PeersRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jflanctl peers}: the peers the local agent knows and has programmed. */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    description = {
      "List the peers the local agent knows, and whether their kernel objects are programmed.",
      "Reads the admin socket (root only)."
    })
final class PeersCommand implements Callable<Integer> {
  @Mixin AdminFlags admin;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  String output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Outputs.check(output);
    try (AdminClient c = admin.client()) {
      PeersReply r = c.call(a -> a.peers(PeersRequest.getDefaultInstance()));
      PrintWriter out = spec.commandLine().getOut();
      if (output.equals("json")) {
        out.println(JsonFormat.printer().print(r));
        return ExitCodes.OK;
      }
      String fmt = "%-18s %-15s %-8s %-17s %s%n";
      out.printf(fmt, "SUBNET", "PUBLIC-IP", "BACKEND", "VTEP-MAC", "PROGRAMMED");
      for (Peer p : r.getPeersList()) {
        out.printf(
            fmt,
            p.getSubnet(),
            p.getPublicIp(),
            p.getBackend(),
            p.getVtepMac().isEmpty() ? "-" : p.getVtepMac(),
            p.getProgrammed() ? "yes" : "no (unreachable by this backend)");
      }
      return ExitCodes.OK;
    }
  }
}
