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

  /** Adds or replaces an address. */
  void replaceAddress(Address a);

  /** Deletes an address (no error when it is gone). */
  void deleteAddress(Address a);

  /** Addresses of one device, or all with {@code ifindex} 0. */
  List<Address> addresses(int ifindex);

  /** Adds or replaces a route. */
  void replaceRoute(Route r);

  /** Deletes a route (no error when it is gone). */
  void deleteRoute(Route r);

  /** IPv4 unicast routes of a table. */
  List<Route> routes(int table);

  /** Adds or replaces a neighbour entry. */
  void replaceNeighbour(Neighbour n);

  /** Deletes a neighbour entry (no error when it is gone). */
  void deleteNeighbour(Neighbour n);

  /** IPv4 neighbours of one device, or all with {@code ifindex} 0. */
  List<Neighbour> neighbours(int ifindex);

  /** Adds or replaces a bridge FDB entry. */
  void replaceFdb(FdbEntry f);

  /** Deletes a bridge FDB entry (no error when it is gone). */
  void deleteFdb(FdbEntry f);

  /** Self FDB entries with a destination on one device, or all with {@code ifindex} 0. */
  List<FdbEntry> fdb(int ifindex);

  /** A batch of writes sent together and acknowledged one by one. */
  Batch batch();

  /**
   * Subscribes to link, address, route and neighbour changes. Events arrive on one thread; an event
   * with every payload null means the kernel dropped events (overflow): resync fully.
   */
  NetlinkMonitor monitor(Consumer<NetlinkEvent> listener);

  @Override
  void close();
}
