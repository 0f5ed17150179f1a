package io.jflannel.ctl;

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
    description = "Print --bip, --mtu and --ip-masq for dockerd from subnet.env.")
final class DockerOptsCommand implements Callable<Integer> {
  @Option(
      names = "--subnet-file",
      defaultValue = "/run/flannel/subnet.env",
      description = "(default: ${DEFAULT-VALUE})")
  Path subnetFile;

  @Option(names = "--env", description = "print DOCKER_OPTS=\"...\" for an EnvironmentFile")
  boolean env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(subnetFile)) {
      throw new Jflanctl.NotFoundException(
          subnetFile + " not found: is jflanneld running on this node?");
    }
    SubnetEnv e = SubnetEnv.parse(Files.readString(subnetFile));
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
    return ExitCodes.OK;
  }
}
