package io.jflannel.netlink;

import io.jflannel.net.MacAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory {@link Netlink} for backends' unit tests (the {@code EmbeddedChannel} of this
 * layer): keeps the objects written, logs every call in {@link #log()}, emits monitor events for
 * changes, and can be told to fail the next write with an errno.
 */
public final class RecordingNetlink implements Netlink {
  private final Map<Integer, Link> links = new LinkedHashMap<>();
  private final List<Address> addresses = new ArrayList<>();
  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final Map<String, Neighbour> neighbours = new LinkedHashMap<>();
  private final Map<String, FdbEntry> fdb = new LinkedHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<Consumer<NetlinkEvent>> monitors = new CopyOnWriteArrayList<>();
  private int nextIndex = 2;
  private int failNext;

  /**
   * Every call so far, one line each, e.g. {@code replaceRoute 10.244.3.0/24 via 198.18.0.3 dev
   * #2}.
   */
  public List<String> log() {
    return Collections.unmodifiableList(log);
  }

  /** The next write fails with {@code errno}. */
  public synchronized void failNextWith(int errno) {
    failNext = errno;
  }

  /** Adds a link as if the system had it (e.g. the external interface). */
  public synchronized Link addExisting(String name, int mtu, MacAddress mac) {
    Link l = new Link(nextIndex++, name, Rtnl.IFF_UP, mtu, mac, null, 0, null);
    links.put(l.index(), l);
    return l;
  }

  private synchronized void write(String what, Request r) {
    log.add(what);
    if (failNext != 0) {
      int e = failNext;
      failNext = 0;
      throw new NetlinkException(
          r.description()
              .apply(i -> Optional.ofNullable(links.get(i)).map(Link::name).orElse("#" + i)),
          e);
    }
  }

  private void emit(NetlinkEvent e) {
    monitors.forEach(m -> m.accept(e));
  }

  @Override
  public synchronized Optional<Link> link(String name) {
    return links.values().stream().filter(l -> l.name().equals(name)).findFirst();
  }

  @Override
  public synchronized Optional<Link> link(int index) {
    return Optional.ofNullable(links.get(index));
  }

  @Override
  public synchronized List<Link> links() {
    return List.copyOf(links.values());
  }

  @Override
  public synchronized Link createLink(LinkSpec s) {
    write("createLink " + s.name() + " " + s.kind(), Requests.createLink(s));
    if (link(s.name()).isPresent()) {
      throw new NetlinkException(
          Requests.createLink(s).description().apply(i -> "#" + i), NetlinkException.EEXIST);
    }
    Link l =
        new Link(
            nextIndex++,
            s.name(),
            0,
            s.mtu() == 0 ? 1500 : s.mtu(),
            s.mac(),
            s.kind(),
            0,
            s.vxlan());
    links.put(l.index(), l);
    emit(new NetlinkEvent(false, l, null, null, null));
    return l;
  }

  private synchronized void update(
      int index, String what, java.util.function.UnaryOperator<Link> f) {
    write(what + " #" + index, Requests.setLink(index, 0, 0, 0, null, what));
    Link l = links.get(index);
    if (l == null) {
      throw new NetlinkException("RTM_NEWLINK dev #" + index + " " + what, NetlinkException.ENODEV);
    }
    links.put(index, f.apply(l));
  }

  @Override
  public void setUp(int index, boolean up) {
    update(
        index,
        up ? "up" : "down",
        l ->
            new Link(
                l.index(),
                l.name(),
                up ? l.flags() | Rtnl.IFF_UP : l.flags() & ~Rtnl.IFF_UP,
                l.mtu(),
                l.mac(),
                l.kind(),
                l.masterIndex(),
                l.vxlan()));
  }

  @Override
  public void setMtu(int index, int mtu) {
    update(
        index,
        "mtu " + mtu,
        l ->
            new Link(
                l.index(),
                l.name(),
                l.flags(),
                mtu,
                l.mac(),
                l.kind(),
                l.masterIndex(),
                l.vxlan()));
  }

  @Override
  public void setMac(int index, MacAddress mac) {
    update(
        index,
        "address " + mac,
        l ->
            new Link(
                l.index(),
                l.name(),
                l.flags(),
                l.mtu(),
                mac,
                l.kind(),
                l.masterIndex(),
                l.vxlan()));
  }

  @Override
  public void setMaster(int index, int master) {
    update(
        index,
        "master #" + master,
        l ->
            new Link(
                l.index(), l.name(), l.flags(), l.mtu(), l.mac(), l.kind(), master, l.vxlan()));
  }

  @Override
  public synchronized void moveToNamespaceFd(int index, int fd) {
    write("netns fd #" + index, Requests.deleteLink(index));
    links.remove(index);
  }

  @Override
  public synchronized void moveToNamespacePid(int index, int pid) {
    write("netns pid #" + index, Requests.deleteLink(index));
    links.remove(index);
  }

  @Override
  public synchronized void deleteLink(int index) {
    write("deleteLink #" + index, Requests.deleteLink(index));
    Link l = links.remove(index);
    if (l != null) {
      routes.values().removeIf(r -> r.ifindex() == index);
      neighbours.values().removeIf(n -> n.ifindex() == index);
      fdb.values().removeIf(f -> f.ifindex() == index);
      addresses.removeIf(a -> a.ifindex() == index);
      emit(new NetlinkEvent(true, l, null, null, null));
    }
  }

  @Override
  public synchronized void replaceAddress(Address a) {
    write("replaceAddress " + a, Requests.replaceAddress(a));
    addresses.remove(a);
    addresses.add(a);
  }

  @Override
  public synchronized void deleteAddress(Address a) {
    write("deleteAddress " + a, Requests.deleteAddress(a));
    addresses.remove(a);
  }

  @Override
  public synchronized List<Address> addresses(int ifindex) {
    return addresses.stream().filter(a -> ifindex == 0 || a.ifindex() == ifindex).toList();
  }

  private static String key(Route r) {
    return r.table() + " " + r.destination();
  }

  @Override
  public synchronized void replaceRoute(Route r) {
    write("replaceRoute " + Requests.route(r, i -> "#" + i), Requests.replaceRoute(r));
    routes.put(key(r), r);
    emit(new NetlinkEvent(false, null, null, r, null));
  }

  @Override
  public synchronized void deleteRoute(Route r) {
    write("deleteRoute " + r.destination(), Requests.deleteRoute(r));
    if (routes.remove(key(r)) != null) {
      emit(new NetlinkEvent(true, null, null, r, null));
    }
  }

  @Override
  public synchronized List<Route> routes(int table) {
    return routes.values().stream().filter(r -> r.table() == table).toList();
  }

  @Override
  public synchronized void replaceNeighbour(Neighbour n) {
    write(
        "replaceNeighbour " + n.address() + " " + n.mac() + " #" + n.ifindex(),
        Requests.replaceNeighbour(n));
    neighbours.put(n.ifindex() + " " + n.address(), n);
  }

  @Override
  public synchronized void deleteNeighbour(Neighbour n) {
    write("deleteNeighbour " + n.address() + " #" + n.ifindex(), Requests.deleteNeighbour(n));
    neighbours.remove(n.ifindex() + " " + n.address());
  }

  @Override
  public synchronized List<Neighbour> neighbours(int ifindex) {
    return neighbours.values().stream()
        .filter(n -> ifindex == 0 || n.ifindex() == ifindex)
        .toList();
  }

  @Override
  public synchronized void replaceFdb(FdbEntry f) {
    write(
        "replaceFdb " + f.mac() + " dst " + f.destination() + " #" + f.ifindex(),
        Requests.replaceFdb(f));
    fdb.put(f.ifindex() + " " + f.mac() + " " + f.destination(), f);
  }

  @Override
  public synchronized void deleteFdb(FdbEntry f) {
    write(
        "deleteFdb " + f.mac() + " dst " + f.destination() + " #" + f.ifindex(),
        Requests.deleteFdb(f));
    fdb.remove(f.ifindex() + " " + f.mac() + " " + f.destination());
  }

  @Override
  public synchronized List<FdbEntry> fdb(int ifindex) {
    return fdb.values().stream().filter(f -> ifindex == 0 || f.ifindex() == ifindex).toList();
  }

  @Override
  public Batch batch() {
    return new RecordingBatch(this);
  }

  @Override
  public NetlinkMonitor monitor(Consumer<NetlinkEvent> listener) {
    monitors.add(listener);
    return () -> monitors.remove(listener);
  }

  @Override
  public void close() {}
}
