package io.jflannel.netlink;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.util.function.IntFunction;

/**
 * An IPv4 unicast route.
 *
 * @param destination the destination network
 * @param gateway next hop, or null for a device route
 * @param ifindex output device
 * @param table routing table (254 = main)
 * @param protocol who installed it ({@link #PROTOCOL_JFLANNEL} for ours)
 * @param scope RT_SCOPE_* (0 universe, 253 link)
 * @param onlink the gateway is on the link even if no address says so (vxlan routes)
 */
public record Route(
    Ipv4Net destination,
    Ipv4Address gateway,
    int ifindex,
    int table,
    int protocol,
    int scope,
    boolean onlink)
    implements NetlinkObject {
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

  /** The slot of a route: one per destination and table. */
  public record Key(int table, Ipv4Net destination) {}

  /** A route of ours via a gateway in the main table. */
  public static Route via(Ipv4Net destination, Ipv4Address gateway, int ifindex, boolean onlink) {
    return new Route(
        destination, gateway, ifindex, TABLE_MAIN, PROTOCOL_JFLANNEL, SCOPE_UNIVERSE, onlink);
  }

  /** A device route of ours (no gateway) in the main table. */
  public static Route dev(Ipv4Net destination, int ifindex) {
    return new Route(destination, null, ifindex, TABLE_MAIN, PROTOCOL_JFLANNEL, SCOPE_LINK, false);
  }

  @Override
  public Key key() {
    return new Key(table, destination);
  }

  @Override
  public String type() {
    return "route";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    return destination
        + (gateway == null ? "" : " via " + gateway)
        + (ifindex == 0 ? "" : " dev " + dev.apply(ifindex))
        + (onlink ? " onlink" : "")
        + " proto "
        + protocol
        + (scope == SCOPE_LINK ? " scope link" : "")
        + (table == TABLE_MAIN ? "" : " table " + table);
  }
}
