package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;

/**
 * The cluster network config stored at {@code <prefix>/config}, validated and defaulted as flannel
 * does (docs/architecture.md; flannel's etcd schema).
 *
 * @param network the cluster network, e.g. 10.244.0.0/16
 * @param subnetLen prefix length of each node's subnet
 * @param subnetMin first subnet that may be leased
 * @param subnetMax last subnet that may be leased
 * @param backend backend type and options
 * @param json the config text as read
 * @param warnings what was accepted but deserves a word: unknown fields ignored, Network's host
 *     bits cleared, Backend missing (udp), Windows-only options
 * @param nftables {@code EnableNFTables}: masquerade and forward rules in nftables (flanneld's
 *     tables) instead of iptables
 * @param ipv6 the IPv6 network of a dual-stack config ({@code EnableIPv6}), or null
 */
public record NetworkConfig(
    Ipv4Net network,
    int subnetLen,
    Ipv4Net subnetMin,
    Ipv4Net subnetMax,
    BackendConfig backend,
    String json,
    java.util.List<String> warnings,
    boolean nftables,
    Ipv6Config ipv6) {

  /** Copies. */
  public NetworkConfig {
    warnings = java.util.List.copyOf(warnings);
  }

  /**
   * Parses, validates and defaults a config.
   *
   * @throws ConfigException listing every violated rule, each naming the field and value
   */
  public static NetworkConfig parse(String json) {
    return NetworkConfigParser.parse(json);
  }

  /** True when {@code subnet} is a subnet this config can lease: right size, within [min, max]. */
  public boolean fits(Ipv4Net subnet) {
    return subnet.prefixLength() == subnetLen
        && network.contains(subnet)
        && subnet.compareTo(subnetMin) >= 0
        && subnet.compareTo(subnetMax) <= 0;
  }

  /** True with {@code EnableIPv6}: every lease carries an IPv6 subnet as well. */
  public boolean dualStack() {
    return ipv6 != null;
  }

  /**
   * True when this node may keep {@code lease}: its IPv4 subnet fits and, in a dual-stack network,
   * it has an IPv6 subnet that fits too (an IPv4-only network ignores a lease's IPv6 part).
   */
  public boolean fits(Lease lease) {
    return fits(lease.subnet())
        && (ipv6 == null || (lease.ipv6Subnet() != null && ipv6.fits(lease.ipv6Subnet())));
  }

  /** Number of subnets in [SubnetMin, SubnetMax]. */
  public long subnetCount() {
    long span =
        Integer.toUnsignedLong(subnetMax.address().value())
            - Integer.toUnsignedLong(subnetMin.address().value());
    return span / subnetMin.size() + 1;
  }
}
