package io.jflannel.ctl;

import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.IpNet;
import io.jflannel.net.Ipv4Net;
import java.util.Optional;
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

    @Parameters(
        paramLabel = "SUBNET",
        description = "its IPv4 subnet, or its IPv6 subnet (a dual-stack or IPv6-only lease)")
    String subnet;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      IpNet net = IpNet.parse(subnet);
      try (LeaseRegistry r = Jflanctl.connect(etcd)) {
        // an IPv4 subnet names its key in either form (even one whose value is not a lease); an
        // IPv6 subnet is found among the leases
        Optional<SubnetKey> key =
            net instanceof Ipv4Net v4
                ? Optional.of(new SubnetKey(v4, null))
                : r.listLeases().leases().stream()
                    .filter(l -> LeaseCells.holds(l, net))
                    .map(Lease::key)
                    .findFirst();
        if (key.isEmpty() || !r.deleteLease(key.get())) {
          throw new Jflanctl.NotFoundException(
              "no lease for " + net + " under " + r.prefix() + "/subnets/");
        }
        spec.commandLine().getOut().println("deleted lease " + net);
        return ExitCodes.OK;
      }
    }
  }
}
