package io.jflannel.netlink;

/**
 * A change the kernel announced on a multicast group. Exactly one of the payloads is set.
 *
 * @param removed true for RTM_DEL*, false for RTM_NEW*
 * @param link a link change, or null
 * @param address an address change, or null
 * @param route a route change, or null
 * @param neighbour a neighbour change, or null
 */
public record NetlinkEvent(
    boolean removed, Link link, Address address, Route route, Neighbour neighbour) {}
