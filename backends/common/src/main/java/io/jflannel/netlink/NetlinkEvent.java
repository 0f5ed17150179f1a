package io.jflannel.netlink;

/**
 * A change the kernel announced on a multicast group: a link, or one route, neighbour, FDB entry or
 * address. Neither set means the kernel dropped events ({@link #overflow()}).
 *
 * @param removed true for RTM_DEL*, false for RTM_NEW*
 * @param link a link change, or null
 * @param object a route, neighbour, FDB or address change, or null
 */
public record NetlinkEvent(boolean removed, Link link, NetlinkObject object) {
  /** The event that says "events were lost: resync everything". */
  public static NetlinkEvent overflowed() {
    return new NetlinkEvent(false, null, null);
  }

  /** True when the kernel dropped events and nothing can be concluded from this one. */
  public boolean overflow() {
    return link == null && object == null;
  }
}
