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
  private final Map<Object, NetlinkObject> objects = new LinkedHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<Consumer<NetlinkEvent>> monitors = new CopyOnWriteArrayList<>();
  private int nextIndex = 2;
  private int failNext;

  /**
   * Every write so far, one line each, as the kernel request is described in errors, e.g. {@code
   * RTM_NEWROUTE 10.244.3.0/24 via 198.18.0.3 dev #2 proto 121}.
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

  private synchronized void write(Request r) {
    log.add(r.description().apply(i -> "#" + i));
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
    write(Requests.createLink(s));
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
    emit(new NetlinkEvent(false, l, null));
    return l;
  }

  private synchronized void update(
      int index, String what, java.util.function.UnaryOperator<Link> f) {
    write(Requests.setLink(index, 0, 0, 0, null, what));
    Link l = links.get(index);
    if (l == null) {
      throw new NetlinkException("RTM_NEWLINK dev #" + index + " " + what, NetlinkException.ENODEV);
    }
    Link now = f.apply(l);
    links.put(index, now);
    emit(new NetlinkEvent(false, now, null));
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
    write(Requests.deleteLink(index));
    links.remove(index);
  }

  @Override
  public synchronized void moveToNamespacePid(int index, int pid) {
    write(Requests.deleteLink(index));
    links.remove(index);
  }

  @Override
  public synchronized void deleteLink(int index) {
    write(Requests.deleteLink(index));
    Link l = links.remove(index);
    if (l != null) {
      objects.values().removeIf(o -> o.ifindex() == index);
      emit(new NetlinkEvent(true, l, null));
    }
  }

  @Override
  public synchronized void replace(NetlinkObject o) {
    Request r = Requests.replace(o);
    write(r);
    if (o.ifindex() != 0 && !links.containsKey(o.ifindex())) {
      throw new NetlinkException(r.description().apply(i -> "#" + i), NetlinkException.ENODEV);
    }
    NetlinkObject old = objects.put(o.key(), o);
    if (!o.equals(old)) {
      emit(new NetlinkEvent(false, null, o));
    }
  }

  @Override
  public synchronized void delete(NetlinkObject o) {
    Request r = Requests.delete(o);
    write(r);
    NetlinkObject old = objects.remove(o.key());
    if (old != null) {
      emit(new NetlinkEvent(true, null, old));
    }
  }

  /** Removes an object as if someone else deleted it (a monitor event, nothing logged). */
  public synchronized void vanish(NetlinkObject o) {
    NetlinkObject old = objects.remove(o.key());
    if (old != null) {
      emit(new NetlinkEvent(true, null, old));
    }
  }

  /** Puts an object as if someone else wrote it (a monitor event, nothing logged). */
  public synchronized void appear(NetlinkObject o) {
    objects.put(o.key(), o);
    emit(new NetlinkEvent(false, null, o));
  }

  /** Removes a link as if someone else deleted it, with everything on it. */
  public synchronized void vanishLink(int index) {
    Link l = links.remove(index);
    if (l != null) {
      objects.values().removeIf(o -> o.ifindex() == index);
      emit(new NetlinkEvent(true, l, null));
    }
  }

  private <T extends NetlinkObject> List<T> all(Class<T> type, int ifindex) {
    List<T> out = new ArrayList<>();
    for (NetlinkObject o : objects.values()) {
      if (type.isInstance(o) && (ifindex == 0 || o.ifindex() == ifindex)) {
        out.add(type.cast(o));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Address> addresses(int ifindex) {
    return all(Address.class, ifindex);
  }

  @Override
  public synchronized List<Route> routes(int table) {
    return all(Route.class, 0).stream().filter(r -> r.table() == table).toList();
  }

  @Override
  public synchronized Optional<Route> routeTo(io.jflannel.net.IpAddress destination) {
    return routes(Route.TABLE_MAIN).stream()
        .filter(r -> r.destination().containsAddress(destination))
        .max(java.util.Comparator.comparingInt(r -> r.destination().prefixLength()));
  }

  @Override
  public synchronized List<Neighbour> neighbours(int ifindex) {
    return all(Neighbour.class, ifindex);
  }

  @Override
  public synchronized List<FdbEntry> fdb(int ifindex) {
    return all(FdbEntry.class, ifindex);
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
