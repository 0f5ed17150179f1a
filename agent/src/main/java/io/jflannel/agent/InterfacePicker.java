package io.jflannel.agent;

import io.jflannel.backend.ExternalInterface;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
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
final class InterfacePicker {
  private InterfacePicker() {}

  static ExternalInterface pick(
      Netlink nl, List<String> ifaces, List<String> regexes, String canReach, String publicIp) {
    Link link = null;
    Address addr = null;
    List<Address> all = nl.addresses(0);
    for (String want : ifaces) {
      Optional<Address> byAddr =
          isAddress(want)
              ? all.stream().filter(a -> a.address().toString().equals(want)).findFirst()
              : Optional.empty();
      if (byAddr.isPresent()) {
        addr = byAddr.get();
        link = nl.link(addr.ifindex()).orElse(null);
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
                .filter(l -> firstAddress(all, l.index()) != null)
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
                                new Ipv4Address(
                                    a.address().value() & Ipv4Net.mask(a.prefixLength())),
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
    if (addr == null) {
      throw new IllegalArgumentException("interface " + link.name() + " has no IPv4 address");
    }
    Ipv4Net net =
        new Ipv4Net(
            new Ipv4Address(addr.address().value() & Ipv4Net.mask(addr.prefixLength())),
            addr.prefixLength());
    Ipv4Address pub = publicIp == null ? addr.address() : Ipv4Address.parse(publicIp);
    return new ExternalInterface(link, addr.address(), net, pub);
  }

  private static Address firstAddress(List<Address> all, int ifindex) {
    return all.stream().filter(a -> a.ifindex() == ifindex).findFirst().orElse(null);
  }

  private static boolean isAddress(String s) {
    try {
      Ipv4Address.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
