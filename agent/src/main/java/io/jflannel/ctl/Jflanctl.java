package io.jflannel.ctl;

import io.jflannel.agent.cli.EnvDefaults;
import io.jflannel.agent.cli.GoFlags;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.LeaseStoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jflanctl}: look at and steer a jflannel cluster. */
@Command(
    name = "jflanctl",
    mixinStandardHelpOptions = true,
    versionProvider = CtlVersion.class,
    defaultValueProvider = EnvDefaults.class,
    description = {
      "Admin CLI of jflannel.",
      "Cluster commands (leases, config, reserve, unreserve, lease, docker-opts) talk to etcd with"
          + " the agent's etcd flags and FLANNELD_* variables.",
      "Node commands (status, peers, diff, reconcile) talk to the local jflanneld over its admin"
          + " socket (--socket, as the agent's --admin-socket; root only)."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success (diff: no drift)",
      "  1  failure; for diff: drift found",
      "  2  bad command line or argument (e.g. subnet syntax)",
      "  3  etcd unreachable",
      "  4  invalid network config",
      "  5  not found",
      "  6  refused (etcd credentials or permission; admin socket permission)",
      "  7  local agent unreachable (no admin socket, or nobody listening)",
      "",
      "Examples:",
      "  jflanctl leases -o wide                      every lease, with its raw value",
      "  jflanctl leases --watch                      then follow changes",
      "  jflanctl leases --history 10.244.7.0/24      who held a subnet",
      "  jflanctl config set net-conf.json            validate, then write the network config",
      "  jflanctl lease delete 10.244.7.0/24          evict a dead node",
      "  sudo jflanctl status                         this node's agent",
      "  sudo jflanctl diff || sudo jflanctl reconcile   find drift, repair it now"
    })
public final class Jflanctl implements Runnable {
  /**
   * The subcommands, in --help's order. Only the one a command line names is registered (picocli
   * reflects over every registered command before parsing: a fifth of a second for all of them);
   * help, completion and a command line naming none get them all.
   */
  static final java.util.List<Class<?>> SUBCOMMANDS =
      java.util.List.of(
          LeasesCommand.class,
          ConfigCommand.class,
          ReserveCommand.class,
          UnreserveCommand.class,
          LeaseCommand.class,
          DockerOptsCommand.class,
          StatusCommand.class,
          PeersCommand.class,
          DiffCommand.class,
          ReconcileCommand.class,
          LogLevelCommand.class,
          DoctorCommand.class,
          CommandLine.HelpCommand.class,
          picocli.AutoComplete.GenerateCompletion.class);

  /** Flags that may come before the subcommand, as with etcdctl: the etcd flags and --socket. */
  static final java.util.Set<String> GLOBAL =
      java.util.Set.of(
          "etcd-endpoints",
          "etcd-prefix",
          "etcd-cafile",
          "etcd-certfile",
          "etcd-keyfile",
          "etcd-username",
          "etcd-password",
          "etcd-password-file",
          "socket");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Entry point. */
  public static void main(String[] args) {
    // a CLI prints its own one-line errors; library chatter would bury them, and a logging
    // framework costs a fifth of a second to start
    io.jflannel.agent.cli.Logging.silence();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, args);
    out.flush(); // autoflush is println's only: what a command print()ed is still buffered
    err.flush();
    awaitEventLoops(250);
    System.exit(code);
  }

  /**
   * Waits (bounded) for the etcd client's event-loop threads to end after it was closed: the JVM's
   * exit waits 300 ms for any thread still in native code (an event loop in epoll_wait), which was
   * one run in four of jflanctl's time.
   */
  static void awaitEventLoops(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("vert.x-eventloop")) {
        try {
          t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Runs a command line, printing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    String[] line = GoFlags.hoist(GoFlags.normalize(args, GLOBAL), GLOBAL);
    CommandLine cl = GoFlags.commandLine(new Jflanctl());
    Class<?> named = named(line);
    for (Class<?> c : SUBCOMMANDS) {
      if (named == null || c == named) {
        cl.addSubcommand(c.getAnnotation(Command.class).name(), c);
      }
    }
    // FLANNELD_* for every subcommand's flags too: the annotation reaches the top command only
    cl.setDefaultValueProvider(new EnvDefaults());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("jflanctl: " + ex.getMessage() + " (see --help)");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          err.println("jflanctl: " + message(ex));
          return code(ex);
        });
    return cl.execute(line);
  }

  /** The subcommand the first non-option word names; null for help, completion or none. */
  static Class<?> named(String[] line) {
    for (String a : line) {
      if (!a.startsWith("-")) {
        for (Class<?> c : SUBCOMMANDS) {
          String name = c.getAnnotation(Command.class).name();
          if (name.equals(a) && !name.equals("help") && !name.equals("generate-completion")) {
            return c;
          }
        }
        return null;
      }
    }
    return null;
  }

  /** A registry for an etcd command: short deadlines, since a person is waiting. */
  static io.jflannel.lease.etcd.EtcdLeaseRegistry connect(io.jflannel.agent.cli.EtcdFlags etcd) {
    etcd.check();
    return io.jflannel.lease.etcd.EtcdLeaseRegistry.connect(
        etcd.options().callTimeout(java.time.Duration.ofSeconds(3)).retryAttempts(2).build());
  }

  static String message(Throwable ex) {
    return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
  }

  static int code(Throwable ex) {
    if (ex instanceof LeaseStoreException l) {
      return switch (l.reason()) {
        case UNAVAILABLE, CLOSED -> ExitCodes.ETCD_UNREACHABLE;
        case REJECTED -> ExitCodes.DENIED;
        default -> ExitCodes.FAILED;
      };
    }
    if (ex instanceof ConfigException) {
      return ExitCodes.INVALID_CONFIG;
    }
    if (ex instanceof NotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (ex instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof AdminClient.AgentException a) {
      return a.code;
    }
    return ExitCodes.FAILED;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Something asked for is not there. */
  static final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
      super(message);
    }
  }
}
