package io.jflannel.agent.host;

import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.IpAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Netlink;
import java.util.List;

/**
 * The chosen interface still carries the addresses the node's lease advertises (or, behind NAT, its
 * own address peers' traffic arrives on): without them the data path is dead while every object of
 * ours looks right.
 */
public final class InterfaceCheck {
  private InterfaceCheck() {}

  /** Why the interface is no longer usable as chosen, or null. */
  public static String problem(Netlink nl, ExternalInterface ext, NetworkConfig config) {
    List<Address> have;
    try {
      have = nl.addresses(ext.link().index());
    } catch (RuntimeException e) {
      return ext.link().name() + " cannot be read: " + e.getMessage();
    }
    if (nl.link(ext.link().index()).isEmpty()) {
      return ext.link().name() + " is gone: restart the agent once the interface is back";
    }
    if (config.ipv4() && ext.address() != null && missing(have, ext.address())) {
      return gone(ext, ext.address());
    }
    if (config.dualStack() && ext.address6() != null && missing(have, ext.address6())) {
      return gone(ext, ext.address6());
    }
    return null;
  }

  private static boolean missing(List<Address> have, IpAddress a) {
    return have.stream().noneMatch(x -> x.address().equals(a));
  }

  private static String gone(ExternalInterface ext, IpAddress a) {
    return ext.link().name()
        + " no longer has "
        + a
        + ", the address peers send this node's traffic to: the agent moves to a new address when"
        + " one comes (see docs/troubleshooting.md#interface-address)";
  }
}
