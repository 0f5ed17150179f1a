package io.jflannel.ctl;

import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.net.Ipv4Net;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jflanctl unreserve SUBNET}: removes a reservation (never a live lease). */
@Command(name = "unreserve", mixinStandardHelpOptions = true, description = "Remove a reservation.")
final class UnreserveCommand implements Callable<Integer> {
  @Mixin EtcdFlags etcd;

  @Parameters(paramLabel = "SUBNET")
  String subnet;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Ipv4Net net = Ipv4Net.parse(subnet);
    try (LeaseRegistry r = Jflanctl.connect(etcd)) {
      Lease l =
          r.getLease(net)
              .orElseThrow(() -> new Jflanctl.NotFoundException("no reservation for " + net));
      if (!l.isReservation()) {
        spec.commandLine()
            .getErr()
            .println(
                "jflanctl: "
                    + net
                    + " is a live lease of "
                    + l.attrs().publicIp()
                    + ", not a reservation (use `jflanctl lease delete` to evict a dead node)");
        return ExitCodes.FAILED;
      }
      r.deleteLease(net);
      spec.commandLine().getOut().println("unreserved " + net);
      return ExitCodes.OK;
    }
  }
}
