package io.jflannel.lease;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * flannel's {@code subnet.env} (flannel's four variables), read by Docker ({@code --bip}) and
 * flannel's CNI plugin.
 *
 * @param network FLANNEL_NETWORK, or null in an IPv6-only network (flanneld then writes neither
 *     FLANNEL_NETWORK nor FLANNEL_SUBNET)
 * @param subnet the leased subnet (FLANNEL_SUBNET is its first address with the prefix), or null
 * @param mtu FLANNEL_MTU
 * @param ipMasq FLANNEL_IPMASQ
 * @param ipv6Network FLANNEL_IPV6_NETWORK of a dual-stack network, or null
 * @param ipv6Subnet the leased IPv6 subnet (FLANNEL_IPV6_SUBNET: its first address), or null
 */
public record SubnetEnv(
    Ipv4Net network,
    Ipv4Net subnet,
    int mtu,
    boolean ipMasq,
    Ipv6Net ipv6Network,
    Ipv6Net ipv6Subnet) {

  /** An IPv4-only network's file. */
  public SubnetEnv(Ipv4Net network, Ipv4Net subnet, int mtu, boolean ipMasq) {
    this(network, subnet, mtu, ipMasq, null, null);
  }

  /**
   * The file's text, exactly flanneld's lines: FLANNEL_NETWORK and FLANNEL_SUBNET unless IPv6-only,
   * FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET with IPv6, then FLANNEL_MTU and FLANNEL_IPMASQ.
   */
  public String format() {
    return (subnet == null
            ? ""
            : "FLANNEL_NETWORK="
                + network
                + "\n"
                + "FLANNEL_SUBNET="
                + subnet.addressAt(1)
                + "/"
                + subnet.prefixLength()
                + "\n")
        + (ipv6Subnet == null
            ? ""
            : "FLANNEL_IPV6_NETWORK="
                + ipv6Network
                + "\nFLANNEL_IPV6_SUBNET="
                + ipv6Subnet.addressAt(java.math.BigInteger.ONE)
                + "/"
                + ipv6Subnet.prefixLength()
                + "\n")
        + "FLANNEL_MTU="
        + mtu
        + "\n"
        + "FLANNEL_IPMASQ="
        + ipMasq
        + "\n";
  }

  /**
   * Parses the file's text.
   *
   * @throws IllegalArgumentException naming the first missing or malformed variable
   */
  public static SubnetEnv parse(String text) {
    Map<String, String> vars = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        vars.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    String v6 = vars.get("FLANNEL_IPV6_SUBNET");
    boolean ipv6Only = (v6 != null && !v6.isEmpty()) && !vars.containsKey("FLANNEL_SUBNET");
    Ipv4Net network = ipv6Only ? null : Ipv4Net.parse(require(vars, "FLANNEL_NETWORK"));
    Ipv4Net subnet = ipv6Only ? null : subnet(require(vars, "FLANNEL_SUBNET"));
    int mtu = Integer.parseInt(vars.getOrDefault("FLANNEL_MTU", "0"));
    Ipv6Net v6Subnet = null;
    if (v6 != null && !v6.isEmpty()) {
      try {
        v6Subnet = Ipv6Net.parseClearingHostBits(v6);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("FLANNEL_IPV6_SUBNET: " + e.getMessage(), e);
      }
    }
    return new SubnetEnv(
        network,
        subnet,
        mtu,
        Boolean.parseBoolean(vars.getOrDefault("FLANNEL_IPMASQ", "false")),
        v6Subnet == null ? null : Ipv6Net.parse(require(vars, "FLANNEL_IPV6_NETWORK")),
        v6Subnet);
  }

  private static Ipv4Net subnet(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("FLANNEL_SUBNET is not address/prefix: \"" + s + "\"");
    }
    int len = Integer.parseInt(s.substring(slash + 1));
    Ipv4Address a = Ipv4Address.parse(s.substring(0, slash));
    return new Ipv4Net(new Ipv4Address(a.value() & Ipv4Net.mask(len)), len);
  }

  /** The leased subnets, as a lease key names them. */
  public SubnetKey subnets() {
    return new SubnetKey(subnet, ipv6Subnet);
  }

  /** The file a previous run wrote, if it exists and is readable. */
  public static Optional<SubnetEnv> previous(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes the file atomically (temp file, then rename), mode 0644. */
  public void writeTo(Path file) throws IOException {
    AtomicFile.write(file, format(), "rw-r--r--");
  }

  private static String require(Map<String, String> vars, String name) {
    String v = vars.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(name + " missing in subnet.env");
    }
    return v;
  }
}
