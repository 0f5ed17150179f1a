package io.jflannel.agent.host;

import io.jflannel.backend.ExternalInterface;
import io.jflannel.net.IpAddress;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Picks the external interface as flanneld does: --iface (names or addresses, in order), else
 * --iface-regex, else --iface-can-reach (the device the kernel routes that address through), else
 * the default route's.
 */
public final class InterfacePicker {
  private InterfacePicker() {}

  public static ExternalInterface pick(
      Netlink nl, List<String> ifaces, List<String> regexes, String canReach, String publicIp) {
    return pick(nl, ifaces, regexes, canReach, publicIp, null);
  }

  /**
   * As flanneld picks it; the interface's IPv6 side is the IPv6 address {@code --iface} named, else
   * its first global IPv6 address, advertised unless {@code publicIpv6} is given (both null when it
   * has none: only a dual-stack network needs them, and says so).
   */
  public static ExternalInterface pick(
      Netlink nl,
      List<String> ifaces,
      List<String> regexes,
      String canReach,
      String publicIp,
      String publicIpv6) {
    Link link = null;
    Address addr = null;
    Ipv6Address named6 = null; // --iface given as an IPv6 address: that one is the IPv6 side
    List<Address> every = nl.addresses(0);
    List<Address> all = every.stream().filter(a -> !a.address().isIpv6()).toList();
    for (String want : ifaces) {
      Optional<Address> byAddr =
          isAddress(want)
              ? every.stream().filter(a -> a.address().equals(IpAddress.parse(want))).findFirst()
              : Optional.empty();
      if (byAddr.isPresent()) {
        Address found = byAddr.get();
        if (found.address() instanceof Ipv6Address v6) {
          named6 = v6; // the link's IPv4 address is picked below
        } else {
          addr = found;
        }
        link = nl.link(found.ifindex()).orElse(null);
      } else {
        link = nl.link(want).orElse(null);
      }
      if (link != null) {
        break;
      }
    }
    if (link == null && !regexes.isEmpty()) {
      for (String r : regexes) {
        Pattern p = Pattern.compile(r);
        link =
            nl.links().stream()
                .filter(l -> p.matcher(l.name()).matches())
                .filter(
                    l ->
                        firstAddress(all, l.index()) != null
                            || global6(every, l.index(), null) != null)
                .findFirst()
                .orElse(null);
        if (link != null) {
          break;
        }
      }
    }
    if (link == null && (!ifaces.isEmpty() || !regexes.isEmpty())) {
      throw new IllegalArgumentException(
          "no interface matches --iface " + ifaces + " / --iface-regex " + regexes);
    }
    if (link == null && canReach != null) {
      Ipv4Address target = Ipv4Address.parse(canReach);
      Route via =
          nl.routeTo(target)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--iface-can-reach " + canReach + ": no route to it on this node"));
      link =
          nl.link(via.ifindex())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--iface-can-reach " + canReach + ": its route's device vanished"));
      if (via.gateway() == null) { // on-link: prefer the address in the same network
        addr =
            all.stream()
                .filter(a -> a.ifindex() == via.ifindex())
                .filter(
                    a ->
                        new Ipv4Net(
                                new Ipv4Address(v4(a).value() & Ipv4Net.mask(a.prefixLength())),
                                a.prefixLength())
                            .contains(target))
                .findFirst()
                .orElse(null);
      }
    }
    if (link == null) {
      Route def =
          nl.routes(Route.TABLE_MAIN).stream()
              .filter(r -> r.destination().prefixLength() == 0)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no default route to pick an interface from: give --iface"));
      link =
          nl.link(def.ifindex())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "default route's device #" + def.ifindex() + " vanished"));
    }
    if (addr == null) {
      addr = firstAddress(all, link.index());
    }
    Address a6 = global6(every, link.index(), named6);
    Ipv6Address v6 = a6 == null ? null : (Ipv6Address) a6.address();
    if (addr == null && v6 == null) {
      throw new IllegalArgumentException(
          "interface " + link.name() + " has neither an IPv4 nor a global IPv6 address");
    }
    Ipv4Net net =
        addr == null
            ? null
            : new Ipv4Net(
                new Ipv4Address(v4(addr).value() & Ipv4Net.mask(addr.prefixLength())),
                addr.prefixLength());
    Ipv4Address pub =
        publicIp != null
            ? Ipv4Address.parse(publicIp)
            : addr == null ? new Ipv4Address(0) : v4(addr); // IPv6-only: flanneld's 0.0.0.0
    Ipv6Address pub6 =
        publicIpv6 == null || publicIpv6.isEmpty() ? v6 : Ipv6Address.parse(publicIpv6);
    Ipv6Net net6 =
        a6 == null ? null : new Ipv6Net(Ipv6Net.masked(v6, a6.prefixLength()), a6.prefixLength());
    return new ExternalInterface(link, addr == null ? null : v4(addr), net, pub, v6, pub6, net6);
  }

  /** The link's first global IPv6 address, or the one {@code want} names (null: any), or null. */
  private static Address global6(List<Address> every, int index, Ipv6Address want) {
    return every.stream()
        .filter(a -> a.ifindex() == index && a.address().isIpv6() && !a.isLinkLocal())
        .filter(a -> want == null || a.address().equals(want))
        .findFirst()
        .orElse(null);
  }

  private static Ipv4Address v4(Address a) {
    return (Ipv4Address) a.address();
  }

  private static Address firstAddress(List<Address> all, int ifindex) {
    return all.stream().filter(a -> a.ifindex() == ifindex).findFirst().orElse(null);
  }

  private static boolean isAddress(String s) {
    try {
      IpAddress.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
