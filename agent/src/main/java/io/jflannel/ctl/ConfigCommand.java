package io.jflannel.ctl;

import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.ConfigChange;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.NetworkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jflanctl config get|set|validate}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Read, write or validate the network config.",
    subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Validate.class})
final class ConfigCommand {
  static String read(String file) throws IOException {
    return file.equals("-")
        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(Path.of(file));
  }

  /** Prints the stored config. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print the network config stored in etcd.")
  static final class Get implements Callable<Integer> {
    @Mixin EtcdFlags etcd;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (LeaseRegistry r = Jflanctl.connect(etcd)) {
        String c =
            r.getNetworkConfig()
                .orElseThrow(
                    () ->
                        new Jflanctl.NotFoundException(
                            "no network config at " + r.prefix() + "/config"));
        spec.commandLine().getOut().println(c.strip());
        return ExitCodes.OK;
      }
    }
  }

  /** Validates, then writes. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Validate a network config (as the agent does) and write it to etcd.",
        "With --if-absent, write it only when etcd has none (exit 0 either way): the init step of"
            + " every node, safe to race."
      })
  static final class Set implements Callable<Integer> {
    @Mixin EtcdFlags etcd;

    @picocli.CommandLine.Option(
        names = "--if-absent",
        description = "keep a config etcd already holds (say whether it differs from FILE)")
    boolean ifAbsent;

    @Parameters(paramLabel = "FILE", description = "config JSON file, or - for standard input")
    String file;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String json = read(file);
      NetworkConfig c = parse(json);
      warn(spec, c);
      try (LeaseRegistry r = Jflanctl.connect(etcd)) {
        if (ifAbsent && !r.createNetworkConfig(json.strip())) {
          kept(r, c);
          return ExitCodes.OK;
        }
        if (!ifAbsent) {
          r.putNetworkConfig(json.strip());
        }
        spec.commandLine()
            .getOut()
            .println(
                "network config written to "
                    + r.prefix()
                    + "/config: "
                    + c.networks()
                    + (c.ipv4() ? ", /" + c.subnetLen() + " subnets" : "")
                    + ", backend "
                    + c.backend().type());
        return ExitCodes.OK;
      }
    }

    /** --if-absent found a config: say so, and whether it is FILE's. */
    private void kept(LeaseRegistry r, NetworkConfig mine) {
      String theirs = r.getNetworkConfig().orElse("");
      String how;
      try {
        ConfigChange d = ConfigChange.between(NetworkConfigs.parse(theirs), mine);
        how = d.none() ? "the same as " + file : "it differs from " + file + ": " + d.describe();
      } catch (RuntimeException e) {
        how = "it is not valid: " + e.getMessage();
      }
      spec.commandLine()
          .getOut()
          .println("network config kept: " + r.prefix() + "/config exists (" + how + ")");
    }
  }

  /** Validates only. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Check a network config file without writing it.")
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "config JSON file, or - for standard input")
    String file;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try {
        NetworkConfig c = parse(read(file));
        warn(spec, c);
        spec.commandLine()
            .getOut()
            .println(
                "valid: "
                    + (c.ipv4()
                        ? c.network()
                            + ", "
                            + c.subnetCount()
                            + " subnets of /"
                            + c.subnetLen()
                            + " from "
                            + c.subnetMin()
                            + " to "
                            + c.subnetMax()
                        : "IPv6-only")
                    + (c.dualStack()
                        ? (c.ipv4() ? "; " : ", ")
                            + c.ipv6().network()
                            + ", "
                            + c.ipv6().subnetCount()
                            + " subnets of /"
                            + c.ipv6().subnetLen()
                            + " from "
                            + c.ipv6().subnetMin()
                            + " to "
                            + c.ipv6().subnetMax()
                        : "")
                    + ", backend "
                    + c.backend().type());
        return ExitCodes.OK;
      } catch (ConfigException e) {
        e.problems()
            .forEach(
                p -> spec.commandLine().getErr().println("jflanctl: invalid network config: " + p));
        return ExitCodes.INVALID_CONFIG;
      }
    }
  }

  /**
   * The config as the agent takes it: flannel's rules, then the backend's own ({@link
   * NetworkConfigs}: its options, udp refusing IPv6), so validate, set and the agent agree.
   *
   * @throws ConfigException naming every problem
   */
  static NetworkConfig parse(String json) {
    return NetworkConfigs.parse(json);
  }

  /** The warnings the agent logs for this config (unknown fields ignored, ...), on stderr. */
  static void warn(picocli.CommandLine.Model.CommandSpec spec, NetworkConfig c) {
    c.warnings().forEach(w -> spec.commandLine().getErr().println("jflanctl: warning: " + w));
  }
}
