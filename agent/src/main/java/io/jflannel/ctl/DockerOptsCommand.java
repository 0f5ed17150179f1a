package io.jflannel.ctl;

import io.jflannel.agent.host.DockerBridge;
import io.jflannel.lease.SubnetEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jflanctl docker-opts}: dockerd options from subnet.env (flannel's mk-docker-opts). */
@Command(
    name = "docker-opts",
    mixinStandardHelpOptions = true,
    description = {
      "Print --bip, --ip-masq and --mtu for dockerd from subnet.env (what flannel's mk-docker-opts"
          + " prints).",
      "With --wait, wait that long for jflanneld to write subnet.env (start dockerd after it)."
          + " When docker0 already runs with another address (dockerd started before jflanneld, or"
          + " without these options), says so on stderr and exits 1: restart docker."
    })
final class DockerOptsCommand implements Callable<Integer> {
  @Option(
      names = "--subnet-file",
      defaultValue = "/run/flannel/subnet.env",
      description = "(default: ${DEFAULT-VALUE})")
  Path subnetFile;

  @Option(names = "--env", description = "print DOCKER_OPTS=\"...\" for an EnvironmentFile")
  boolean env;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "wait up to SECONDS for subnet.env (default: ${DEFAULT-VALUE})")
  int waitSeconds;

  @Option(
      names = "--bridge",
      defaultValue = "docker0",
      description =
          "the bridge to check against subnet.env; empty: no check (default: ${DEFAULT-VALUE})")
  String bridge;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (!Files.isReadable(subnetFile) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    if (!Files.isReadable(subnetFile)) {
      throw new Jflanctl.NotFoundException(
          subnetFile
              + " not found"
              + (waitSeconds > 0 ? " after " + waitSeconds + " s" : "")
              + ": is jflanneld running on this node? dockerd must start after it");
    }
    SubnetEnv e = SubnetEnv.parse(Files.readString(subnetFile));
    if (e.subnet() == null) {
      spec.commandLine()
          .getErr()
          .println(
              "jflanctl: "
                  + subnetFile
                  + " has no IPv4 subnet (an IPv6-only network): dockerd's --bip needs one; give"
                  + " dockerd --ipv6 --fixed-cidr-v6="
                  + e.ipv6Subnet()
                  + " and a bridge of its own instead");
      return ExitCodes.FAILED;
    }
    // flannel masquerades itself when FLANNEL_IPMASQ=true, so docker must not
    String opts =
        "--bip="
            + e.subnet().addressAt(1)
            + "/"
            + e.subnet().prefixLength()
            + " --ip-masq="
            + !e.ipMasq()
            + " --mtu="
            + e.mtu();
    spec.commandLine().getOut().println(env ? "DOCKER_OPTS=\"" + opts + "\"" : opts);
    String wrong = bridge.isEmpty() ? null : DockerBridge.mismatch(bridge, e.subnet());
    if (wrong != null) {
      spec.commandLine().getErr().println("jflanctl: " + wrong);
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }
}
