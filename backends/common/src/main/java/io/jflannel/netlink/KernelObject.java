package io.jflannel.netlink;

import java.util.function.IntFunction;

/**
 * A piece of node state the agent owns and compares with what it wants: a route, neighbour, FDB
 * entry or address ({@link NetlinkObject}), a device's settings, or a firewall rule. Objects with
 * equal {@link #key()}s occupy the same slot: the kernel (or the firewall) holds at most one of
 * them, so a differing one is "wrong", an absent one "missing".
 */
public interface KernelObject {
  /** The slot this object occupies (e.g. a route's table and destination). */
  Object key();

  /**
   * {@code route}, {@code neighbour}, {@code fdb}, {@code address}, {@code device}, {@code
   * iptables}.
   */
  String type();

  /** The object in the words of {@code ip}/{@code bridge}/{@code iptables-save}. */
  String describe(IntFunction<String> deviceName);
}
