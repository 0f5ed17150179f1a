package io.jflannel.agent;

import io.jflannel.agent.cleanup.Cleanup;
import io.jflannel.agent.cli.AgentOptions;
import io.jflannel.agent.cli.CleanupFlags;
import io.jflannel.agent.cli.CniFlags;
import io.jflannel.agent.cli.EnvDefaults;
import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.agent.cli.FirewallFlags;
import io.jflannel.agent.cli.GoFlags;
import io.jflannel.agent.cli.InterfaceFlags;
import io.jflannel.agent.cli.ListenerFlags;
import io.jflannel.agent.cli.LogFlags;
import io.jflannel.agent.cli.NodeFlags;
import io.jflannel.agent.cli.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jflanneld}: flags with flanneld's names; each also read from FLANNELD_&lt;FLAG&gt;. */
@Command(
    name = "jflanneld",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "A flannel-compatible overlay network agent: leases a subnet from etcd and keeps routes to every other node.",
      "jflanneld cleanup [--release-lease] [--dry-run] [FLAGS]: with the agent's flags, removes what it"
          + " made on this node (devices, routes, firewall rules, its CNI config, subnet.env, the state"
          + " directory; with --release-lease its lease); refused while the agent runs."
    },
    defaultValueProvider = EnvDefaults.class)
public final class Jflanneld implements Callable<Integer> {
  @Mixin EtcdFlags etcd;
  @Mixin InterfaceFlags iface;
  @Mixin ListenerFlags listeners;
  @Mixin NodeFlags node;
  @Mixin FirewallFlags firewall;
  @Mixin CniFlags cni;
  @Mixin LogFlags log;
  @Mixin CleanupFlags cleanup;

  @Parameters(
      arity = "0..1",
      paramLabel = "cleanup",
      description = "cleanup: remove what the agent made on this node, instead of running it")
  String verb;

  @Option(
      names = "--kube-subnet-mgr",
      description =
          "flanneld's Kubernetes subnet manager: not supported, jflanneld runs in etcd mode only",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean kubeSubnetMgr;

  @Option(
      names = {
        "--kube-api-url",
        "--kube-annotation-prefix",
        "--kubeconfig-file",
        "--set-node-network-unavailable"
      },
      hidden = true,
      arity = "0..1",
      fallbackValue = "true",
      description = "flanneld's flags of its Kubernetes mode: accepted and ignored in etcd mode")
  List<String> kubeOnly = new ArrayList<>();

  /** Entry point. */
  public static void main(String[] args) {
    CommandLine cl = GoFlags.commandLine(new Jflanneld());
    args = GoFlags.normalize(args, GoFlags.longNames(cl)); // flanneld's -flag=value spellings
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          System.err.println("jflanneld: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    int code = cl.execute(args);
    if (Agent.stopping()) {
      Runtime.getRuntime()
          .halt(code); // SIGTERM: the JVM is already shutting down; exit with our code, not 143
    }
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    AgentOptions o;
    try {
      if (kubeSubnetMgr) {
        throw new IllegalArgumentException(
            "--kube-subnet-mgr: flanneld's Kubernetes subnet manager is not supported; jflanneld"
                + " runs in etcd mode (--etcd-endpoints)");
      }
      if (verb != null && !verb.equals("cleanup")) {
        throw new IllegalArgumentException(
            "unknown command \"" + verb + "\" (jflanneld takes flags, or cleanup)");
      }
      if (verb == null && cleanup.any()) {
        throw new IllegalArgumentException("--release-lease and --dry-run go with cleanup");
      }
      if (verb == null) {
        log.configure();
      } else {
        log.configureQuiet();
      }
      o = options();
      if (!kubeOnly.isEmpty() || log.ignoredGiven()) {
        org.slf4j.LoggerFactory.getLogger(Jflanneld.class)
            .warn("flanneld flags of its Kubernetes mode or of klog are accepted and ignored");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("jflanneld: " + e.getMessage());
      return 2;
    }
    if (verb != null) {
      java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
      java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
      return new Cleanup(o, cleanup.releaseLease(), cleanup.dryRun(), out, err).run();
    }
    return new Agent(o).run();
  }

  /** The options of the flags parsed, each group checked by its own flags. */
  AgentOptions options() {
    etcd.check();
    return new AgentOptions(
        etcd.options().build(),
        iface.options(),
        listeners.options(),
        node.options(),
        firewall.options(),
        cni.options());
  }

  /**
   * The options jflanneld would run with for {@code args} and the variables {@code env}, through
   * the very parser the agent uses (tests build their options this way).
   *
   * @throws IllegalArgumentException or picocli's ParameterException for a bad flag
   */
  public static AgentOptions parse(java.util.Map<String, String> env, String... args) {
    Jflanneld j = new Jflanneld();
    CommandLine cl = GoFlags.commandLine(j);
    cl.setDefaultValueProvider(new EnvDefaults(env));
    cl.parseArgs(GoFlags.normalize(args, GoFlags.longNames(cl)));
    return j.options();
  }
}
