package io.jflannel.agent.node;

import io.jflannel.agent.cli.InterfaceOptions;
import io.jflannel.agent.host.InterfacePicker;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.netlink.Netlink;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interface as the node's flags pick it now ({@code --iface}, {@code --iface-regex}, {@code
 * --iface-can-reach}), against the one the node runs with: a new address advertised (DHCP renewal,
 * a cloud NIC re-attached) or the link re-created moves the node to it without a restart. An
 * address pinned by {@code --public-ip} / {@code --public-ipv6} never moves.
 */
final class AddressWatch {
  private static final Logger LOG = LoggerFactory.getLogger(AddressWatch.class);

  private final Netlink nl;
  private final InterfaceOptions o;
  private final ExternalInterface current;
  private final NetworkConfig config;
  private volatile String noted;

  AddressWatch(Netlink nl, InterfaceOptions o, ExternalInterface current, NetworkConfig config) {
    this.nl = nl;
    this.o = o;
    this.current = current;
    this.config = config;
  }

  /**
   * The interface to move to; empty when nothing that moves the node changed, or when none can be
   * picked right now (an address in the middle of a renewal: the next look decides).
   */
  Optional<ExternalInterface> moved() {
    ExternalInterface now;
    try {
      now =
          InterfacePicker.pick(
              nl, o.ifaces(), o.ifaceRegex(), o.ifaceCanReach(), o.publicIp(), o.publicIpv6());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    boolean v4 = config.ipv4() && !Objects.equals(now.publicIp(), current.publicIp());
    boolean v6 = config.dualStack() && !Objects.equals(now.publicIpv6(), current.publicIpv6());
    boolean link = now.link().index() != current.link().index();
    if ((v4 && now.address() != null) || (v6 && now.publicIpv6() != null) || link) {
      return Optional.of(now);
    }
    boolean local =
        (config.ipv4() && !Objects.equals(now.address(), current.address()))
            || (config.dualStack() && !Objects.equals(now.address6(), current.address6()));
    String note = local ? now.address() + "/" + now.address6() : null;
    if (note != null && !note.equals(noted)) {
      LOG.warn(
          "{}'s address changed to {}{}, but --public-ip/--public-ipv6 pin what this node"
              + " advertises: it stays as it is",
          now.link().name(),
          now.address(),
          now.address6() == null ? "" : ", " + now.address6());
    }
    noted = note;
    return Optional.empty();
  }
}
