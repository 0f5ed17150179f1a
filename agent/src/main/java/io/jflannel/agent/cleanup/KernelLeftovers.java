package io.jflannel.agent.cleanup;

import io.jflannel.backend.BackendFactory;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent put in the kernel: its backend's devices (with them go every route, neighbour, FDB
 * entry and address on them) and the routes it installed elsewhere in the main table, of either
 * family (protocol 121: host-gw's routes, DirectRouting's, the blackhole route).
 */
final class KernelLeftovers {
  private KernelLeftovers() {}

  /** The devices and routes to remove, routes first (a device's own go with it). */
  static List<Leftover> find(Netlink nl, Optional<NetworkConfig> config) {
    Map<String, Link> devices = new LinkedHashMap<>();
    config.ifPresent(
        c ->
            BackendFactory.find(c.backend().type())
                .ifPresent(
                    f -> f.devices(c).forEach(n -> nl.link(n).ifPresent(l -> devices.put(n, l)))));
    List<BackendFactory> backends = BackendFactory.all();
    for (Link l : nl.links()) {
      if (backends.stream().anyMatch(f -> f.madeDevice(l.name(), l.kind()))) {
        devices.putIfAbsent(l.name(), l);
      }
    }
    Map<Integer, String> names = new LinkedHashMap<>();
    nl.links().forEach(l -> names.put(l.index(), l.name()));
    List<Leftover> out = new ArrayList<>();
    for (Route r : nl.routesWithBlackholes(Route.TABLE_MAIN)) {
      boolean onDevice = devices.values().stream().anyMatch(d -> d.index() == r.ifindex());
      if (r.protocol() == Route.PROTOCOL_JFLANNEL && !onDevice) {
        out.add(
            new Leftover(
                "route " + r.describe(i -> names.getOrDefault(i, "#" + i)), () -> nl.delete(r)));
      }
    }
    for (Link l : devices.values()) {
      out.add(
          new Leftover(
              "link " + l.name() + " (" + l.kind() + ", with its routes, neighbours and FDB)",
              () -> nl.deleteLink(l.index())));
    }
    return out;
  }
}
