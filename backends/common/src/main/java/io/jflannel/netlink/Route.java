package io.jflannel.netlink;

import io.jflannel.net.IpAddress;
import io.jflannel.net.IpNet;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A unicast route of either family (the destination's; the gateway is of the same).
 *
 * @param destination the destination network
 * @param gateway next hop, or null for a device route
 * @param ifindex output device
 * @param table routing table (254 = main)
 * @param protocol who installed it ({@link #PROTOCOL_JFLANNEL} for ours)
 * @param scope RT_SCOPE_* (0 universe, 253 link)
 * @param onlink the gateway is on the link even if no address says so (vxlan routes)
 * @param routeType RTN_* ({@link #RTN_UNICAST}, or {@link #RTN_BLACKHOLE})
 * @param priority the route's metric (0 for ours, which is the kernel's default)
 */
public record Route(
    IpNet destination,
    IpAddress gateway,
    int ifindex,
    int table,
    int protocol,
    int scope,
    boolean onlink,
    int routeType,
    int priority)
    implements NetlinkObject {

  /** Refuses a gateway of the other family. */
  public Route {
    if (gateway != null && gateway.isIpv6() != destination.isIpv6()) {
      throw new IllegalArgumentException(
          "route to " + destination + " via " + gateway + ": families differ");
    }
  }

  /** The main table. */
  public static final int TABLE_MAIN = 254;

  /** Our own protocol number, so that the agent can tell its routes from others'. */
  public static final int PROTOCOL_JFLANNEL = 121;

  /** RTPROT_KERNEL: routes the kernel adds for an address's own network. */
  public static final int PROTOCOL_KERNEL = 2;

  /** RT_SCOPE_UNIVERSE. */
  public static final int SCOPE_UNIVERSE = 0;

  /** RT_SCOPE_LINK. */
  public static final int SCOPE_LINK = 253;

  /** RTN_UNICAST. */
  public static final int RTN_UNICAST = 1;

  /** RTN_BLACKHOLE: packets are dropped silently. */
  public static final int RTN_BLACKHOLE = 6;

  /** The slot of a route: one per table, destination and metric. */
  public record Key(int table, IpNet destination, int priority) {
    // equals and hashCode written out: see Ipv4Address

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.table == table
          && k.priority == priority
          && Objects.equals(k.destination, destination);
    }

    @Override
    public int hashCode() {
      return (Objects.hashCode(destination) * 31 + table) * 31 + priority;
    }
  }

  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof Route r
        && r.ifindex == ifindex
        && r.table == table
        && r.protocol == protocol
        && r.scope == scope
        && r.onlink == onlink
        && r.routeType == routeType
        && r.priority == priority
        && Objects.equals(r.destination, destination)
        && Objects.equals(r.gateway, gateway);
  }

  @Override
  public int hashCode() {
    int h = Objects.hashCode(destination) * 31 + Objects.hashCode(gateway);
    h = (h * 31 + ifindex) * 31 + table;
    h = (h * 31 + protocol) * 31 + scope;
    return ((h * 31 + (onlink ? 1 : 0)) * 31 + routeType) * 31 + priority;
  }

  /** A unicast route of metric 0. */
  public Route(
      IpNet destination,
      IpAddress gateway,
      int ifindex,
      int table,
      int protocol,
      int scope,
      boolean onlink) {
    this(destination, gateway, ifindex, table, protocol, scope, onlink, RTN_UNICAST, 0);
  }

  /**
   * A blackhole route of ours for {@code destination} at metric {@code priority}: packets for
   * addresses no more specific (or better) route covers are dropped here.
   */
  public static Route blackhole(IpNet destination, int priority) {
    return new Route(
        destination,
        null,
        0,
        TABLE_MAIN,
        PROTOCOL_JFLANNEL,
        SCOPE_UNIVERSE,
        false,
        RTN_BLACKHOLE,
        priority);
  }

  /** A route of ours via a gateway in the main table. */
  public static Route via(IpNet destination, IpAddress gateway, int ifindex, boolean onlink) {
    return new Route(
        destination, gateway, ifindex, TABLE_MAIN, PROTOCOL_JFLANNEL, SCOPE_UNIVERSE, onlink);
  }

  /** A device route of ours (no gateway) in the main table. */
  public static Route dev(IpNet destination, int ifindex) {
    return new Route(destination, null, ifindex, TABLE_MAIN, PROTOCOL_JFLANNEL, SCOPE_LINK, false);
  }

  @Override
  public Key key() {
    return new Key(table, destination, priority);
  }

  @Override
  public String type() {
    return "route";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    return (routeType == RTN_BLACKHOLE ? "blackhole " : "")
        + destination
        + (gateway == null ? "" : " via " + gateway)
        + (ifindex == 0 ? "" : " dev " + dev.apply(ifindex))
        + (onlink ? " onlink" : "")
        + " proto "
        + protocol
        + (scope == SCOPE_LINK ? " scope link" : "")
        + (priority == 0 ? "" : " metric " + priority)
        + (table == TABLE_MAIN ? "" : " table " + table);
  }
}
