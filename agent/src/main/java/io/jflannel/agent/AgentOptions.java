package io.jflannel.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the agent was told on its command line.
 *
 * @param etcdEndpoints etcd client URLs
 * @param etcdPrefix key prefix
 * @param etcdCaFile TLS CA or null
 * @param etcdCertFile TLS cert or null
 * @param etcdKeyFile TLS key or null
 * @param etcdUsername user or null
 * @param etcdPassword password or null
 * @param ifaces interface names or addresses, in order of preference
 * @param ifaceRegex interface name patterns
 * @param publicIp address to advertise, or null
 * @param ipMasq install masquerade rules
 * @param subnetFile subnet.env path
 * @param renewMargin lease renew margin
 * @param iptablesResync iptables check period
 * @param iptablesForwardRules install FORWARD accept rules
 * @param healthzIp health listener address
 * @param healthzPort health listener port (0 = off)
 * @param stateDir state directory
 * @param leaseTtl lease lifetime
 * @param reconcileInterval period of the level-triggered reconcile
 * @param setIpForward set net.ipv4.ip_forward=1 when it is off
 * @param adminSocket the admin API's unix socket, or null for none
 * @param ifaceCanReach pick the interface the kernel would use to reach this address, or null
 * @param ipMasqFullyRandom MASQUERADE with --random-fully (flanneld's default)
 * @param blackholeRoute add a blackhole route for our own subnet (flanneld's --ip-blackhole-route)
 * @param allowNetworkChange let a restart move this node to a subnet of a changed network config
 * @param cni the CNI config to write once the lease is held
 * @param dockerBridge Docker's bridge to check against our subnet, or null
 * @param publicIpv6 IPv6 address to advertise in a dual-stack network, or null (the interface's)
 */
public record AgentOptions(
    List<String> etcdEndpoints,
    String etcdPrefix,
    Path etcdCaFile,
    Path etcdCertFile,
    Path etcdKeyFile,
    String etcdUsername,
    String etcdPassword,
    List<String> ifaces,
    List<String> ifaceRegex,
    String publicIp,
    boolean ipMasq,
    Path subnetFile,
    Duration renewMargin,
    Duration iptablesResync,
    boolean iptablesForwardRules,
    String healthzIp,
    int healthzPort,
    Path stateDir,
    Duration leaseTtl,
    Duration reconcileInterval,
    boolean setIpForward,
    Path adminSocket,
    String ifaceCanReach,
    boolean ipMasqFullyRandom,
    boolean blackholeRoute,
    boolean allowNetworkChange,
    CniConfig cni,
    String dockerBridge,
    String publicIpv6) {}
