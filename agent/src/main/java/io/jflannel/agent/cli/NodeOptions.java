package io.jflannel.agent.cli;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the node keeps its lease and its state; built by {@link NodeFlags} only, so none of its
 * booleans can be swapped by position.
 *
 * @param subnetFile {@code --subnet-file}: where subnet.env is written
 * @param stateDir {@code --state-dir}: VtepMAC, last-known-good config and peers, the node lock
 * @param renewMargin {@code --subnet-lease-renew-margin}
 * @param leaseTtl {@code --lease-ttl} (testing)
 * @param reconcileInterval {@code --reconcile-interval}
 * @param setIpForward {@code --set-ip-forward}: set net.ipv4.ip_forward=1 when it is off
 * @param blackholeRoute {@code --ip-blackhole-route}
 * @param allowNetworkChange {@code --allow-network-change}: a restart may move the node
 * @param dockerBridge {@code --docker-bridge}: Docker's bridge to check, or null
 * @param netConfigFile {@code --net-config-path}: a config file to compare with etcd's, or null
 */
public record NodeOptions(
    Path subnetFile,
    Path stateDir,
    Duration renewMargin,
    Duration leaseTtl,
    Duration reconcileInterval,
    boolean setIpForward,
    boolean blackholeRoute,
    boolean allowNetworkChange,
    String dockerBridge,
    Path netConfigFile) {}
