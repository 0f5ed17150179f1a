package io.jflannel.netlink;

/**
 * The kernel objects written through rtnetlink with replace/delete semantics, one request each: the
 * types a {@link Batch} and {@link Netlink#replace}/{@link Netlink#delete} take.
 */
public sealed interface NetlinkObject extends KernelObject
    permits Route, Neighbour, FdbEntry, Address {
  /** The device the object hangs off (a route's output device), or 0. */
  int ifindex();
}
