package io.jflannel.agent.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The interface flags of jflanneld (and of {@code jflanneld cleanup}). */
public final class InterfaceFlags {
  @Option(
      names = "--iface",
      description = "interface name or address to use (repeatable; default: the default route's)")
  List<String> iface = new ArrayList<>();

  @Option(names = "--iface-regex", description = "interface name pattern (repeatable)")
  List<String> ifaceRegex = new ArrayList<>();

  @Option(
      names = "--iface-can-reach",
      description =
          "use the interface the kernel routes this address through (as `ip route get ADDRESS`)")
  String ifaceCanReach;

  @Option(
      names = "--public-ip",
      description = "address to advertise to other nodes (default: the interface's)")
  String publicIp;

  @Option(
      names = "--public-ipv6",
      description =
          "IPv6 address to advertise to other nodes in a dual-stack network (EnableIPv6);"
              + " default: the interface's first global IPv6 address")
  String publicIpv6;

  /**
   * The options these flags give.
   *
   * @throws IllegalArgumentException naming the flag whose value is not an address
   */
  public InterfaceOptions options() {
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
    return new InterfaceOptions(
        iface,
        ifaceRegex,
        ifaceCanReach == null || ifaceCanReach.isEmpty() ? null : ifaceCanReach,
        publicIp,
        publicIpv6 == null || publicIpv6.isEmpty() ? null : publicIpv6);
  }
}
