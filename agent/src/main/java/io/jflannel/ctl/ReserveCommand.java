package io.jflannel.ctl;

import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jflanctl reserve SUBNET --public-ip IP}: a lease key without an etcd lease, never
 * expiring.
 */
@Command(
    name = "reserve",
    mixinStandardHelpOptions = true,
    description = "Reserve a subnet for the node with the given PublicIP.")
final class ReserveCommand implements Callable<Integer> {
  @Mixin EtcdFlags etcd;

  @Parameters(paramLabel = "SUBNET", description = "e.g. 10.244.7.0/24")
  String subnet;

  @Option(names = "--public-ip", required = true, description = "the node that gets the subnet")
  String publicIp;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Ipv4Net net = Ipv4Net.parse(subnet);
    Ipv4Address ip = Ipv4Address.parse(publicIp);
    try (LeaseRegistry r = Jflanctl.connect(etcd)) {
      Optional<String> raw = r.getNetworkConfig();
      if (raw.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println("jflanctl: warning: no network config in etcd: " + net + " is not checked");
      } else {
        NetworkConfig c = NetworkConfigs.parse(raw.get());
        String why =
            LeaseValidator.forCluster(c)
                .rejectForCluster(
                    new Lease(net, LeaseAttrs.of(ip, c.backend().type(), null), 0, null, 0));
        if (why != null) {
          throw new IllegalArgumentException(
              "cannot reserve " + net + " for " + ip + ": " + why + "; nothing written");
        }
      }
      if (r.createLease(net, LeaseAttrs.of(ip, null, null), null).isEmpty()) {
        String holder = r.getLease(net).map(l -> l.attrs().publicIp().toString()).orElse("someone");
        spec.commandLine().getErr().println("jflanctl: " + net + " is already leased to " + holder);
        return ExitCodes.FAILED;
      }
      spec.commandLine().getOut().println("reserved " + net + " for " + ip);
      return ExitCodes.OK;
    }
  }
}
