package io.jflannel.netlink;

import io.jflannel.net.MacAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kernel's network state through rtnetlink: links, addresses, routes, neighbours, VXLAN FDB
 * entries. Writes use replace semantics; deleting what is already gone is not an error. Failures
 * throw {@link NetlinkException} with the errno and the request described.
 *
 * <p>{@link #open()} gives the real one ({@link RtnlNetlink}); {@link RecordingNetlink} is an
 * in-memory double for backends' unit tests.
 */
public interface Netlink extends AutoCloseable {

  /** A netlink socket in the calling thread's network namespace. */
  static Netlink open() {
    return new RtnlNetlink();
  }

  /** A link by name. */
  Optional<Link> link(String name);

  /** A link by ifindex. */
  Optional<Link> link(int index);

  /** All links. */
  List<Link> links();

  /** Creates a device; fails with EEXIST when the name is taken. Returns it as created. */
  Link createLink(LinkSpec spec);

  /** Sets a link administratively up or down. */
  void setUp(int index, boolean up);

  /** Sets the MTU. */
  void setMtu(int index, int mtu);

  /** Sets the hardware address. */
  void setMac(int index, MacAddress mac);

  /** Enslaves a link to a bridge (0 to release it). */
  void setMaster(int index, int masterIndex);

  /** Moves a link into the network namespace of an open namespace file descriptor. */
  void moveToNamespaceFd(int index, int namespaceFd);

  /** Moves a link into the network namespace of a process. */
  void moveToNamespacePid(int index, int pid);

  /** Deletes a link (no error when it is gone). */
  void deleteLink(int index);

  /** Adds or replaces a route, neighbour, FDB entry or address (see {@link NetlinkObject#key}). */
  void replace(NetlinkObject o);

  /** Deletes a route, neighbour, FDB entry or address; no error when it is gone. */
  void delete(NetlinkObject o);

  /** Addresses of one device, or all with {@code ifindex} 0. */
  List<Address> addresses(int ifindex);

  /** IPv4 unicast routes of a table. */
  List<Route> routes(int table);

  /** The unicast and the blackhole routes of a table ({@link #routes} holds unicast ones only). */
  default List<Route> routesWithBlackholes(int table) {
    return routes(table);
  }

  /**
   * The route the kernel would use to reach {@code destination} (as {@code ip route get}), or empty
   * when it has none (or it is a local address).
   */
  Optional<Route> routeTo(io.jflannel.net.IpAddress destination);

  /** IPv4 neighbours of one device, or all with {@code ifindex} 0. */
  List<Neighbour> neighbours(int ifindex);

  /** Self FDB entries with a destination on one device, or all with {@code ifindex} 0. */
  List<FdbEntry> fdb(int ifindex);

  /** A batch of writes sent together and acknowledged one by one. */
  Batch batch();

  /**
   * Subscribes to link, address, route, neighbour and FDB changes. Events arrive on one thread; an
   * {@link NetlinkEvent#overflow() overflow} event means the kernel dropped events: resync fully.
   */
  NetlinkMonitor monitor(Consumer<NetlinkEvent> listener);

  @Override
  void close();
}
