package io.jflannel.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jflanneld}: flags with flanneld's names; each also read from FLANNELD_&lt;FLAG&gt;. */
@Command(
    name = "jflanneld",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description =
        "A flannel-compatible overlay network agent: leases a subnet from etcd and keeps routes to every other node.",
    defaultValueProvider = EnvDefaults.class)
public final class Jflanneld implements Callable<Integer> {
  @Mixin EtcdFlags etcd;

  @Option(
      names = "--iface",
      description = "interface name or address to use (repeatable; default: the default route's)")
  List<String> iface = new ArrayList<>();

  @Option(names = "--iface-regex", description = "interface name pattern (repeatable)")
  List<String> ifaceRegex = new ArrayList<>();

  @Option(
      names = "--public-ip",
      description = "address to advertise to other nodes (default: the interface's)")
  String publicIp;

  @Option(
      names = "--ip-masq",
      description = "masquerade traffic from containers to outside the cluster network",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean ipMasq;

  @Option(
      names = "--subnet-file",
      description = "where to write subnet.env (default: ${DEFAULT-VALUE})",
      defaultValue = "/run/flannel/subnet.env")
  Path subnetFile;

  @Option(
      names = "--subnet-lease-renew-margin",
      description =
          "renew the lease this many minutes before it expires (default: ${DEFAULT-VALUE})",
      defaultValue = "60")
  int renewMarginMinutes;

  @Option(
      names = "--iptables-resync",
      description = "check iptables rules every N seconds (default: ${DEFAULT-VALUE})",
      defaultValue = "5")
  int iptablesResync;

  @Option(
      names = "--iptables-forward-rules",
      description = "add FORWARD accept rules for the cluster network (default: ${DEFAULT-VALUE})",
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1")
  boolean iptablesForwardRules;

  @Option(
      names = "--healthz-ip",
      description = "health/metrics listen address (default: ${DEFAULT-VALUE})",
      defaultValue = "0.0.0.0")
  String healthzIp;

  @Option(
      names = "--healthz-port",
      description = "health/metrics port, 0 to disable (default: ${DEFAULT-VALUE})",
      defaultValue = "8471")
  int healthzPort;

  @Option(
      names = "--state-dir",
      description = "VTEP MAC and last-known-good peers (default: ${DEFAULT-VALUE})",
      defaultValue = "/var/lib/jflannel")
  Path stateDir;

  @Option(
      names = "--admin-socket",
      description =
          "admin API unix socket, mode 0600 (jflanctl status/diff/reconcile); empty: none (default: ${DEFAULT-VALUE})",
      defaultValue = "/run/jflannel/admin.sock")
  Path adminSocket;

  @Option(
      names = "--log-level",
      description = "error, warn, info, debug (default: ${DEFAULT-VALUE})",
      defaultValue = "info")
  String logLevel;

  @Option(
      names = "--log-format",
      description = "text, or json: one JSON object per line (default: ${DEFAULT-VALUE})",
      defaultValue = "text")
  String logFormat;

  @Option(
      names = "--set-ip-forward",
      description = "set net.ipv4.ip_forward=1 when it is off (default: warn only)",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean setIpForward;

  @Option(
      names = "--iface-can-reach",
      description =
          "use the interface the kernel routes this address through (as `ip route get ADDRESS`)")
  String ifaceCanReach;

  @Option(
      names = "--ip-masq-fully-random-disable",
      description = "MASQUERADE without --random-fully (default: with it, as flanneld)",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean ipMasqFullyRandomDisable;

  @Option(
      names = "--ip-blackhole-route",
      description =
          "add a blackhole route for this node's subnet, so packets for its unused addresses are"
              + " dropped here instead of bouncing (default: ${DEFAULT-VALUE})",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean blackholeRoute;

  @Option(
      names = "--allow-network-change",
      description =
          "when the network config in etcd no longer fits this node's subnet, move the node to a"
              + " new subnet at start (its pods lose connectivity); by default it keeps its subnet"
              + " and the previous config, and says so (default: ${DEFAULT-VALUE})",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean allowNetworkChange;

  @Option(
      names = "--cni-conf-dir",
      description =
          "where to write the CNI network config once the lease is held; empty: write none"
              + " (default: ${DEFAULT-VALUE})",
      defaultValue = "/etc/cni/net.d")
  String cniConfDir;

  @Option(
      names = "--cni-conf-name",
      description = "file name of the CNI config (default: ${DEFAULT-VALUE})",
      defaultValue = "10-jflannel.conflist")
  String cniConfName;

  @Option(
      names = "--cni-mode",
      description =
          "bridge: delegate to the standard bridge, host-local and portmap plugins (no flannel plugin"
              + " needed); flannel: flannel's conflist of \"type\": \"flannel\" (for nodes that have"
              + " its plugin); off (default: ${DEFAULT-VALUE})",
      defaultValue = "bridge")
  String cniMode;

  @Option(
      names = "--cni-network",
      description = "the CNI network's name (default: ${DEFAULT-VALUE}, flannel's)",
      defaultValue = "cbr0")
  String cniNetwork;

  @Option(
      names = "--cni-bridge",
      description = "the bridge the pods are attached to (default: ${DEFAULT-VALUE})",
      defaultValue = "cni0")
  String cniBridge;

  @Option(
      names = "--cni-ipam-data-dir",
      description = "host-local's dataDir (default: host-local's own, /var/lib/cni/networks)")
  Path cniIpamDataDir;

  @Option(
      names = "--docker-bridge",
      description =
          "Docker's bridge: when it exists with an address outside this node's subnet (dockerd"
              + " started without --bip=$FLANNEL_SUBNET), the agent says so and turns DEGRADED;"
              + " empty: no check (default: ${DEFAULT-VALUE})",
      defaultValue = "docker0")
  String dockerBridge;

  @Option(
      names = "--public-ipv6",
      description =
          "IPv6 address to advertise to other nodes in a dual-stack network (EnableIPv6);"
              + " default: the interface's first global IPv6 address")
  String publicIpv6;

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
        "--net-config-path",
        "--set-node-network-unavailable"
      },
      hidden = true,
      arity = "0..1",
      fallbackValue = "true",
      description = "flanneld's flags of its Kubernetes mode: accepted and ignored in etcd mode")
  List<String> kubeOnly = new ArrayList<>();

  @Option(
      names = "--v",
      hidden = true,
      description = "klog verbosity, as flanneld's -v=N: 4 or more means --log-level debug")
  Integer klogV;

  @Option(
      names = {"--vmodule", "--log_backtrace_at"},
      hidden = true,
      description = "klog flags of flanneld: accepted and ignored")
  List<String> klogIgnored = new ArrayList<>();

  @Option(
      names = "--lease-ttl",
      hidden = true,
      description = "lease TTL in seconds (testing)",
      defaultValue = "86400")
  int leaseTtlSeconds;

  @Option(
      names = "--reconcile-interval",
      description = "seconds between full reconciles (default: ${DEFAULT-VALUE})",
      defaultValue = "10")
  int reconcileSeconds;

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
      if (klogV != null && klogV >= 4 && "info".equals(logLevel)) {
        logLevel = "debug";
      }
      Logging.check(logLevel, logFormat);
      Logging.configure(logLevel, logFormat);
      o = options();
      if (!kubeOnly.isEmpty() || !klogIgnored.isEmpty()) {
        org.slf4j.LoggerFactory.getLogger(Jflanneld.class)
            .warn("flanneld flags of its Kubernetes mode or of klog are accepted and ignored");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("jflanneld: " + e.getMessage());
      return 2;
    }
    return new Agent(o).run();
  }

  private CniConfig cni() {
    CniConfig.Mode mode;
    try {
      mode = CniConfig.Mode.valueOf(cniMode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--cni-mode " + cniMode + ": choose bridge, flannel or off");
    }
    if (!cniBridge.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("--cni-bridge " + cniBridge + " is not an interface name");
    }
    return new CniConfig(
        cniConfDir == null || cniConfDir.isEmpty() ? null : Path.of(cniConfDir),
        cniConfName,
        mode,
        cniNetwork,
        cniBridge,
        cniIpamDataDir);
  }

  AgentOptions options() {
    etcd.check();
    if (healthzPort < 0 || healthzPort > 65535) {
      throw new IllegalArgumentException("--healthz-port " + healthzPort + " is not a port");
    }
    if (iptablesResync < 1
        || renewMarginMinutes < 1
        || reconcileSeconds < 1
        || leaseTtlSeconds < 5) {
      throw new IllegalArgumentException(
          "--iptables-resync, --subnet-lease-renew-margin and --reconcile-interval must be positive");
    }
    if (publicIp != null) {
      io.jflannel.net.Ipv4Address.parse(publicIp);
    }
    if (ifaceCanReach != null && !ifaceCanReach.isEmpty()) {
      io.jflannel.net.Ipv4Address.parse(ifaceCanReach);
    }
    if (publicIpv6 != null && !publicIpv6.isEmpty()) {
      try {
        io.jflannel.net.Ipv6Address.parse(publicIpv6);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--public-ipv6: " + e.getMessage(), e);
      }
    }
    return new AgentOptions(
        etcd.endpoints(),
        etcd.prefix(),
        etcd.caFile(),
        etcd.certFile(),
        etcd.keyFile(),
        etcd.username(),
        etcd.password(),
        iface,
        ifaceRegex,
        publicIp,
        ipMasq,
        subnetFile,
        Duration.ofMinutes(renewMarginMinutes),
        Duration.ofSeconds(iptablesResync),
        iptablesForwardRules,
        healthzIp,
        healthzPort,
        stateDir,
        Duration.ofSeconds(leaseTtlSeconds),
        Duration.ofSeconds(reconcileSeconds),
        setIpForward,
        adminSocket == null || adminSocket.toString().isEmpty() ? null : adminSocket,
        ifaceCanReach == null || ifaceCanReach.isEmpty() ? null : ifaceCanReach,
        !ipMasqFullyRandomDisable,
        blackholeRoute,
        allowNetworkChange,
        cni(),
        dockerBridge == null || dockerBridge.isEmpty() ? null : dockerBridge,
        publicIpv6 == null || publicIpv6.isEmpty() ? null : publicIpv6);
  }
}
