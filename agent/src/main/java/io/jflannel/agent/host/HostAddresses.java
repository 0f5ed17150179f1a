package io.jflannel.agent.host;

import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.IpAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Netlink;
import java.util.Set;
import java.util.stream.Collectors;

/** The addresses of this host (its network namespace), as the node's own leases name them. */
public final class HostAddresses {
  private HostAddresses() {}

  /**
   * True when the lease attributes name this host: their PublicIP (not 0.0.0.0) or PublicIPv6 is an
   * address of one of its interfaces.
   */
  public static boolean hold(Netlink nl, LeaseAttrs a) {
    Set<IpAddress> mine =
        nl.addresses(0).stream().map(Address::address).collect(Collectors.toSet());
    return (a.publicIp().value() != 0 && mine.contains(a.publicIp()))
        || (a.publicIpv6() != null && mine.contains(a.publicIpv6Address()));
  }
}
