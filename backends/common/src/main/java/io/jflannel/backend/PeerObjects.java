package io.jflannel.backend;

import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.NetlinkObject;
import io.jflannel.netlink.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The kernel objects one peer needs, programmed in this order (neighbour, FDB, route) and removed
 * in reverse.
 *
 * @param neighbours neighbour entries
 * @param fdb FDB entries
 * @param routes routes
 */
public record PeerObjects(List<Neighbour> neighbours, List<FdbEntry> fdb, List<Route> routes) {
  /** Nothing (a peer this node has no objects for). */
  public static final PeerObjects NONE = new PeerObjects(List.of(), List.of(), List.of());

  /** Only a route. */
  public static PeerObjects route(Route r) {
    return new PeerObjects(List.of(), List.of(), List.of(r));
  }

  /** These objects and {@code more}'s, each kind in this order then {@code more}'s. */
  public PeerObjects plus(PeerObjects more) {
    if (more.size() == 0) {
      return this;
    }
    if (size() == 0) {
      return more;
    }
    return new PeerObjects(
        concat(neighbours, more.neighbours), concat(fdb, more.fdb), concat(routes, more.routes));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }

  /** How many objects. */
  public int size() {
    return neighbours.size() + fdb.size() + routes.size();
  }

  /** All objects in programming order: neighbours, FDB entries, routes (read-only). */
  public List<NetlinkObject> all() {
    if (fdb.isEmpty() && (neighbours.isEmpty() || routes.isEmpty())) {
      // one kind only (host-gw's routes): a view of that list, not a copy
      return Collections.unmodifiableList(neighbours.isEmpty() ? routes : neighbours);
    }
    List<NetlinkObject> out = new ArrayList<>(size());
    out.addAll(neighbours);
    out.addAll(fdb);
    out.addAll(routes);
    return out;
  }
}
