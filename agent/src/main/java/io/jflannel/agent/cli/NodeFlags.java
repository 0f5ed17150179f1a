package io.jflannel.agent.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The lease, state and node flags of jflanneld. */
public final class NodeFlags {
  @Option(
      names = "--subnet-file",
      description = "where to write subnet.env (default: ${DEFAULT-VALUE})",
      defaultValue = "/run/flannel/subnet.env")
  Path subnetFile;

  @Option(
      names = "--state-dir",
      description = "VTEP MAC and last-known-good peers (default: ${DEFAULT-VALUE})",
      defaultValue = "/var/lib/jflannel")
  Path stateDir;

  @Option(
      names = "--subnet-lease-renew-margin",
      description =
          "renew the lease this many minutes before it expires (default: ${DEFAULT-VALUE})",
      defaultValue = "60")
  int renewMarginMinutes;

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

  @Option(
      names = "--set-ip-forward",
      description = "set net.ipv4.ip_forward=1 when it is off (default: warn only)",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean setIpForward;

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
          "when the network config in etcd no longer fits this node's subnet or changes its"
              + " backend, take it at start (the node moves; its pods lose connectivity); by"
              + " default it keeps its subnet and the previous config, and says so (default:"
              + " ${DEFAULT-VALUE})",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1")
  boolean allowNetworkChange;

  @Option(
      names = "--docker-bridge",
      description =
          "Docker's bridge: when it exists with an address outside this node's subnet (dockerd"
              + " started without --bip=$FLANNEL_SUBNET), the agent says so and turns DEGRADED;"
              + " empty: no check (default: ${DEFAULT-VALUE})",
      defaultValue = "docker0")
  String dockerBridge;

  @Option(
      names = "--net-config-path",
      description =
          "a network config file to hold against etcd's (the DaemonSet's ConfigMap): when they"
              + " differ the agent says so and turns DEGRADED; etcd's stays in force; empty: no"
              + " check (flanneld reads this file in its Kubernetes mode only)")
  String netConfigPath;

  /**
   * The options these flags give.
   *
   * @throws IllegalArgumentException when a period is not positive
   */
  public NodeOptions options() {
    if (renewMarginMinutes < 1 || leaseTtlSeconds < 1 || reconcileSeconds < 1) {
      throw new IllegalArgumentException(
          "--subnet-lease-renew-margin, --lease-ttl and --reconcile-interval must be positive");
    }
    return new NodeOptions(
        subnetFile,
        stateDir,
        Duration.ofMinutes(renewMarginMinutes),
        Duration.ofSeconds(leaseTtlSeconds),
        Duration.ofSeconds(reconcileSeconds),
        setIpForward,
        blackholeRoute,
        allowNetworkChange,
        dockerBridge == null || dockerBridge.isEmpty() ? null : dockerBridge,
        netConfigPath == null || netConfigPath.isEmpty() ? null : Path.of(netConfigPath));
  }
}
