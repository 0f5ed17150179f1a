package io.jflannel.lease;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;

/**
 * The checks every peer lease passes before it may reach the kernel, shared by the agent and {@code
 * jflanctl leases} so both call the same lease rejected for the same reason. A lease that fails one
 * would otherwise route part of another node's pods (a subnet of the wrong size), put routes
 * outside the cluster network, or point traffic at this node itself.
 *
 * <p>The node-specific checks (own subnet, own PublicIP) apply when those are given. A lease that
 * claims another node's PublicIP is rejected by that node (it would point traffic at itself); other
 * nodes cannot tell which of two claims is genuine, and the extra one cannot take another subnet's
 * traffic, so they program both; {@code jflanctl leases} flags the duplicate.
 */
public final class LeaseValidator {
  private static final Ipv4Net LOOPBACK = Ipv4Net.parse("127.0.0.0/8");
  private static final Ipv4Net MULTICAST = Ipv4Net.parse("224.0.0.0/3"); // multicast and class E
  private static final Ipv4Net THIS_NETWORK = Ipv4Net.parse("0.0.0.0/8");

  private final NetworkConfig config;
  private final Ipv4Net own;
  private final Ipv4Address ownPublicIp;

  /** Checks against {@code config}, for the node holding {@code own} at {@code ownPublicIp}. */
  public LeaseValidator(NetworkConfig config, Ipv4Net own, Ipv4Address ownPublicIp) {
    this.config = config;
    this.own = own;
    this.ownPublicIp = ownPublicIp;
  }

  /** Checks of cluster-wide rules only (no node): what {@code jflanctl leases} applies. */
  public static LeaseValidator forCluster(NetworkConfig config) {
    return new LeaseValidator(config, null, null);
  }

  /**
   * Why {@code lease} must not be programmed, or null when it may. The own subnet itself is not a
   * peer and is reported as such.
   */
  public String reject(Lease lease) {
    Ipv4Net s = lease.subnet();
    if (lease.attrs() == null) {
      return "the lease has no value";
    }
    if (!config.network().contains(s)) {
      return "subnet " + s + " is outside the network " + config.network();
    }
    if (s.prefixLength() != config.subnetLen()) {
      return "subnet " + s + " is not a /" + config.subnetLen() + " (the network's SubnetLen)";
    }
    if (own != null && s.overlaps(own)) {
      return s.equals(own)
          ? "subnet " + s + " is this node's own"
          : "subnet " + s + " overlaps this node's subnet " + own;
    }
    Ipv4Address ip = lease.attrs().publicIp();
    if (config.network().contains(ip)) {
      return "PublicIP " + ip + " is inside the cluster network " + config.network();
    }
    if (LOOPBACK.contains(ip) || MULTICAST.contains(ip) || THIS_NETWORK.contains(ip)) {
      return "PublicIP " + ip + " is not a unicast address another node can be reached at";
    }
    if (ownPublicIp != null && ownPublicIp.equals(ip)) {
      return "PublicIP " + ip + " is this node's own (a stale lease of this node, or a clash)";
    }
    String type = lease.attrs().effectiveBackendType();
    String ours = config.backend().type();
    if (!type.equals(ours) && !"alloc".equals(ours)) {
      return "backend " + type + " does not match the network's " + ours;
    }
    return null;
  }
}
