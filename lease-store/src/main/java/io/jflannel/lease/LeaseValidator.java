package io.jflannel.lease;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;

/**
 * The checks every peer lease passes before it may reach the kernel, shared by the agent and {@code
 * jflanctl leases} so both call the same lease rejected for the same reason. A lease that fails one
 * would otherwise route part of another node's pods (a subnet of the wrong size), put routes
 * outside the cluster network, or point traffic at this node itself.
 *
 * <p>The node-specific checks (own subnet, own PublicIP or PublicIPv6) apply when those are given.
 * What two leases both claim (a subnet, an address, a VtepMAC) is decided by {@link
 * LeaseConflicts}, among the leases that pass {@link #rejectForCluster}.
 */
public final class LeaseValidator {
  private static final Ipv4Net LOOPBACK = Ipv4Net.parse("127.0.0.0/8");
  private static final Ipv4Net MULTICAST = Ipv4Net.parse("224.0.0.0/3"); // multicast and class E
  private static final Ipv4Net THIS_NETWORK = Ipv4Net.parse("0.0.0.0/8");

  private final NetworkConfig config;
  private final Ipv4Net own;
  private final Ipv4Address ownPublicIp;
  private final Ipv6Net own6;
  private final Ipv6Address ownPublicIpv6;

  /** Checks against {@code config}, for the node holding {@code own} at {@code ownPublicIp}. */
  public LeaseValidator(NetworkConfig config, Ipv4Net own, Ipv4Address ownPublicIp) {
    this(config, own == null ? null : new SubnetKey(own, null), ownPublicIp, null);
  }

  /**
   * As above, for a node of any network: {@code own} holds its subnets, {@code ownPublicIpv6} (with
   * IPv6) its PublicIPv6; either address may be null.
   */
  public LeaseValidator(
      NetworkConfig config, SubnetKey own, Ipv4Address ownPublicIp, Ipv6Address ownPublicIpv6) {
    this.config = config;
    this.own = own == null ? null : own.ipv4();
    this.ownPublicIp = ownPublicIp;
    this.own6 = own == null ? null : own.ipv6();
    this.ownPublicIpv6 = ownPublicIpv6;
  }

  /** Checks of cluster-wide rules only (no node): what {@code jflanctl leases} applies. */
  public static LeaseValidator forCluster(NetworkConfig config) {
    return new LeaseValidator(config, null, null, null);
  }

  /**
   * Why {@code lease} must not be programmed, or null when it may: the cluster-wide checks, then
   * this node's ({@link #rejectForNode}).
   */
  public String reject(Lease lease) {
    String why = rejectForCluster(lease);
    return why != null ? why : rejectForNode(lease);
  }

  /**
   * Why no node may program {@code lease} (the same verdict on every node and in {@code jflanctl
   * leases}), or null: a value, subnets of the network and of its sizes, addresses another node can
   * be reached at. Whether the lease's backend fits the network's is the backend's to say.
   */
  public String rejectForCluster(Lease lease) {
    if (lease.attrs() == null) {
      return "the lease has no value";
    }
    String why = config.ipv4() ? rejectIpv4(lease) : null;
    if (why == null && config.dualStack()) {
      if (lease.ipv6Subnet() != null) {
        why = rejectIpv6(lease.ipv6Subnet(), lease.attrs().publicIpv6());
      } else if (!config.ipv4()) {
        why = "the lease has no IPv6 subnet (the network is IPv6-only)";
      }
    }
    return why; // the backend type: the backend's to judge (LeaseRules in backends/common)
  }

  /**
   * Why this node must not program {@code lease} although the cluster may (it passed {@link
   * #rejectForCluster}), or null: a subnet overlapping this node's, or this node's own address
   * (traffic for it would come back here).
   */
  public String rejectForNode(Lease lease) {
    Ipv4Net s = lease.subnet();
    if (own != null && s != null && config.ipv4() && s.overlaps(own)) {
      return s.equals(own)
          ? "subnet " + s + " is this node's own"
          : "subnet " + s + " overlaps this node's subnet " + own;
    }
    if (config.ipv4() && ownPublicIp != null && ownPublicIp.equals(lease.attrs().publicIp())) {
      return "PublicIP "
          + ownPublicIp
          + " is this node's own (a stale lease of this node, or a clash)";
    }
    Ipv6Net s6 = lease.ipv6Subnet();
    if (!config.dualStack() || s6 == null) {
      return null;
    }
    if (own6 != null && s6.overlaps(own6)) {
      return s6.equals(own6)
          ? "IPv6 subnet " + s6 + " is this node's own"
          : "IPv6 subnet " + s6 + " overlaps this node's IPv6 subnet " + own6;
    }
    if (ownPublicIpv6 != null
        && ownPublicIpv6.equals(Ipv6Address.parse(lease.attrs().publicIpv6()))) {
      return "PublicIPv6 "
          + ownPublicIpv6
          + " is this node's own (a stale lease of this node, or a clash)";
    }
    return null;
  }

  /** The IPv4 half: subnet and PublicIP (the network enables IPv4). */
  private String rejectIpv4(Lease lease) {
    Ipv4Net s = lease.subnet();
    if (s == null) {
      return "the lease has no IPv4 subnet (an IPv6-only lease; the network has IPv4: "
          + config.network()
          + ")";
    }
    if (!config.network().contains(s)) {
      return "subnet " + s + " is outside the network " + config.network();
    }
    if (s.prefixLength() != config.subnetLen()) {
      return "subnet " + s + " is not a /" + config.subnetLen() + " (the network's SubnetLen)";
    }
    Ipv4Address ip = lease.attrs().publicIp();
    if (config.network().contains(ip)) {
      return "PublicIP " + ip + " is inside the cluster network " + config.network();
    }
    if (LOOPBACK.contains(ip) || MULTICAST.contains(ip) || THIS_NETWORK.contains(ip)) {
      return "PublicIP " + ip + " is not a unicast address another node can be reached at";
    }
    return null;
  }

  /**
   * The IPv6 half of a dual-stack lease (an IPv4-only lease in a dual-stack network is a peer
   * reached over IPv4 only, as flanneld treats it).
   */
  private String rejectIpv6(Ipv6Net s, String publicIpv6) {
    Ipv6Config c = config.ipv6();
    if (!c.network().contains(s)) {
      return "IPv6 subnet " + s + " is outside the IPv6 network " + c.network();
    }
    if (s.prefixLength() != c.subnetLen()) {
      return "IPv6 subnet " + s + " is not a /" + c.subnetLen() + " (the network's IPv6SubnetLen)";
    }
    if (publicIpv6 == null) {
      return "IPv6 subnet " + s + " comes without a PublicIPv6";
    }
    try {
      Ipv6Address ip = Ipv6Address.parse(publicIpv6);
      if (c.network().contains(ip)
          || ip.isLinkLocal()
          || ip.hi() == 0
          || (ip.hi() >>> 56) == 0xff) {
        return "PublicIPv6 " + ip + " is not a unicast address another node can be reached at";
      }
    } catch (IllegalArgumentException e) {
      return "PublicIPv6 \"" + publicIpv6 + "\" is not an IPv6 address";
    }
    return null;
  }
}
