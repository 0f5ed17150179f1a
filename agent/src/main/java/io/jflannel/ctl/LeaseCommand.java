package io.jflannel.ctl;

import io.jflannel.agent.EtcdFlags;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.net.Ipv4Net;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jflanctl lease delete SUBNET}. */
@Command(
    name = "lease",
    mixinStandardHelpOptions = true,
    description = "Act on one lease.",
    subcommands = LeaseCommand.Delete.class)
final class LeaseCommand {
  /** Deletes a lease: evicts a dead node (a live agent re-creates its lease at once). */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a lease (evict a dead node).")
  static final class Delete implements Callable<Integer> {
    @Mixin EtcdFlags etcd;

    @Parameters(paramLabel = "SUBNET")
    String subnet;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Ipv4Net net = Ipv4Net.parse(subnet);
      try (LeaseRegistry r = Jflanctl.connect(etcd)) {
        if (!r.deleteLease(net)) {
          throw new Jflanctl.NotFoundException(
              "no lease for " + net + " under " + r.prefix() + "/subnets/");
        }
        spec.commandLine().getOut().println("deleted lease " + net);
        return ExitCodes.OK;
      }
    }
  }
}
