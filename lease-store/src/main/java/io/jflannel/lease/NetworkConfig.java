package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;

/**
 * The cluster network config stored at {@code <prefix>/config}, validated and defaulted as flannel
 * does (docs/architecture.md; flannel's etcd schema).
 *
 * @param network the cluster network, e.g. 10.244.0.0/16; null in an IPv6-only network ({@code
 *     EnableIPv4: false}), as are the two bounds (and subnetLen is 0)
 * @param subnetLen prefix length of each node's subnet
 * @param subnetMin first subnet that may be leased
 * @param subnetMax last subnet that may be leased
 * @param backend backend type and options
 * @param json the config text as read
 * @param warnings what was accepted but deserves a word: unknown fields ignored, Network's host
 *     bits cleared, Backend missing (udp), Windows-only options
 * @param nftables {@code EnableNFTables}: masquerade and forward rules in nftables (flanneld's
 *     tables) instead of iptables
 * @param ipv6 the IPv6 network of a dual-stack or IPv6-only config ({@code EnableIPv6}), or null
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
   * Parses, validates and defaults a config: flannel's network config format, the Backend taken as
   * written (its options are its backend's to check: {@code NetworkConfigs} in backends/common
   * applies both).
   *
   * @throws ConfigException listing every violated rule, each naming the field and value
   */
  public static NetworkConfig parse(String json) {
    return NetworkConfigParser.parse(json);
  }

  /**
   * The Backend object of a config whose other fields may be invalid, so that a backend's problems
   * are reported with flannel's; null when there is none to read.
   */
  public static BackendConfig backendOf(String json) {
    try {
      com.fasterxml.jackson.jr.stree.JrsValue root = Json.parse(json);
      if (root == null || !root.isObject()) {
        return null;
      }
      return BackendConfigParser.parse(
          new JsonFields((com.fasterxml.jackson.jr.stree.JrsObject) root).get("Backend"),
          new java.util.ArrayList<>(),
          new java.util.ArrayList<>());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** This config with {@code more} warnings after its own (the backend's, for one). */
  public NetworkConfig withWarnings(java.util.List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    java.util.List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new NetworkConfig(
        network, subnetLen, subnetMin, subnetMax, backend, json, all, nftables, ipv6);
  }

  /** True when {@code subnet} is a subnet this config can lease: right size, within [min, max]. */
  public boolean fits(Ipv4Net subnet) {
    return network != null
        && subnet != null
        && subnet.prefixLength() == subnetLen
        && network.contains(subnet)
        && subnet.compareTo(subnetMin) >= 0
        && subnet.compareTo(subnetMax) <= 0;
  }

  /**
   * True with {@code EnableIPv6}: every lease carries an IPv6 subnet (as well as an IPv4 one,
   * unless the network is IPv6-only).
   */
  public boolean dualStack() {
    return ipv6 != null;
  }

  /** True unless {@code EnableIPv4} is false: every lease carries an IPv4 subnet. */
  public boolean ipv4() {
    return network != null;
  }

  /**
   * True when this node may keep {@code lease}: it has a fitting subnet of each enabled family (a
   * network ignores a lease's part of a family it does not enable).
   */
  public boolean fits(Lease lease) {
    return (network == null || fits(lease.subnet()))
        && (ipv6 == null || (lease.ipv6Subnet() != null && ipv6.fits(lease.ipv6Subnet())));
  }

  /** The enabled families' networks, for messages: {@code 10.244.0.0/16 + fc00::/48}. */
  public String networks() {
    if (ipv6 == null) {
      return String.valueOf(network);
    }
    return network == null ? ipv6.network().toString() : network + " + " + ipv6.network();
  }

  /** Number of subnets in [SubnetMin, SubnetMax] (0 in an IPv6-only network). */
  public long subnetCount() {
    if (network == null) {
      return 0;
    }
    long span =
        Integer.toUnsignedLong(subnetMax.address().value())
            - Integer.toUnsignedLong(subnetMin.address().value());
    return span / subnetMin.size() + 1;
  }
}
