package io.jflannel.agent.cli;

import java.util.List;

/**
 * Which interface the node uses and which addresses it advertises (flanneld's flags).
 *
 * @param ifaces {@code --iface}: names or addresses, in order of preference
 * @param ifaceRegex {@code --iface-regex}: name patterns
 * @param ifaceCanReach {@code --iface-can-reach}: the interface the kernel routes this address
 *     through, or null
 * @param publicIp {@code --public-ip}: the IPv4 address to advertise, or null (the interface's)
 * @param publicIpv6 {@code --public-ipv6}: the IPv6 address to advertise, or null
 */
public record InterfaceOptions(
    List<String> ifaces,
    List<String> ifaceRegex,
    String ifaceCanReach,
    String publicIp,
    String publicIpv6) {

  /** Copies. */
  public InterfaceOptions {
    ifaces = List.copyOf(ifaces);
    ifaceRegex = List.copyOf(ifaceRegex);
  }
}
