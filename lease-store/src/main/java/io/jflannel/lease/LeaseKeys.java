package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import java.util.Optional;

/**
 * flannel's key layout under a prefix: {@code <prefix>/config}, {@code
 * <prefix>/subnets/<a.b.c.d-len>}, or {@code <prefix>/subnets/<a.b.c.d-len>&<ipv6-len>} for a
 * dual-stack lease ({@link SubnetKey}).
 */
public final class LeaseKeys {
  /** The default prefix, flannel's. */
  public static final String DEFAULT_PREFIX = "/coreos.com/network";

  private final String prefix;
  private final String subnetsPrefix;

  /** Key layout under {@code prefix} (a trailing slash is ignored). */
  public LeaseKeys(String prefix) {
    if (prefix == null || prefix.isBlank() || !prefix.startsWith("/")) {
      throw new IllegalArgumentException("etcd prefix must start with '/': \"" + prefix + "\"");
    }
    this.prefix =
        prefix.endsWith("/") && prefix.length() > 1
            ? prefix.substring(0, prefix.length() - 1)
            : prefix;
    this.subnetsPrefix = this.prefix + "/subnets/";
  }

  /** The prefix without a trailing slash. */
  public String prefix() {
    return prefix;
  }

  /** {@code <prefix>/config}. */
  public String configKey() {
    return prefix + "/config";
  }

  /** {@code <prefix>/subnets/} (with the slash: the range of all lease keys). */
  public String subnetsPrefix() {
    return subnetsPrefix;
  }

  /** The key of a subnet. */
  public String subnetKey(Ipv4Net subnet) {
    return subnetsPrefix() + subnet.toKey();
  }

  /** The key of a lease's subnets: both parts for a dual-stack lease. */
  public String subnetKey(SubnetKey subnets) {
    return subnetsPrefix() + subnets.toKey();
  }

  /**
   * The IPv4 subnet named by a lease key of either form, or empty when the key is neither or names
   * no IPv4 subnet (an IPv6-only key).
   */
  public Optional<Ipv4Net> subnetOf(String key) {
    return subnetsOf(key).map(SubnetKey::ipv4);
  }

  /** The subnets named by a lease key, or empty when the key is not of flanneld's forms. */
  public Optional<SubnetKey> subnetsOf(String key) {
    if (!key.startsWith(subnetsPrefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SubnetKey.parse(key.substring(subnetsPrefix.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Longest text of a key or value a log line carries whole. */
  static final int LOG_LIMIT = 160;

  /**
   * {@code text} for a log line: whole up to {@value #LOG_LIMIT} characters, else its start and its
   * length (a 100 KB key written by mistake must not flood the log).
   */
  public static String forLog(String text) {
    if (text == null || text.length() <= LOG_LIMIT) {
      return text;
    }
    return text.substring(0, LOG_LIMIT - 40) + "... (" + text.length() + " characters)";
  }
}
