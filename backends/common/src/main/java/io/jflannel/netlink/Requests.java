package io.jflannel.netlink;

import static io.jflannel.netlink.Rtnl.*;

/** The write requests of every object kind, with their descriptions for errors. */
final class Requests {
  private static final int REPLACE = NLM_F_CREATE | NLM_F_REPLACE;

  private Requests() {}

  static Request replaceRoute(Route r) {
    return new Request(
        RTM_NEWROUTE,
        REPLACE,
        w -> RtnlCodec.route(w, r, false),
        n -> "RTM_NEWROUTE " + route(r, n),
        false);
  }

  static Request deleteRoute(Route r) {
    return new Request(
        RTM_DELROUTE,
        0,
        w -> RtnlCodec.route(w, r, true),
        n -> "RTM_DELROUTE " + route(r, n),
        true);
  }

  static Request replaceNeighbour(Neighbour x) {
    return new Request(
        RTM_NEWNEIGH,
        REPLACE,
        w -> RtnlCodec.neighbour(w, x),
        n -> "RTM_NEWNEIGH " + neigh(x, n),
        false);
  }

  static Request deleteNeighbour(Neighbour x) {
    return new Request(
        RTM_DELNEIGH, 0, w -> RtnlCodec.neighbour(w, x), n -> "RTM_DELNEIGH " + neigh(x, n), true);
  }

  static Request replaceFdb(FdbEntry f) {
    return new Request(
        RTM_NEWNEIGH,
        REPLACE,
        w -> RtnlCodec.fdb(w, f),
        n -> "RTM_NEWNEIGH (fdb) " + fdb(f, n),
        false);
  }

  static Request deleteFdb(FdbEntry f) {
    return new Request(
        RTM_DELNEIGH, 0, w -> RtnlCodec.fdb(w, f), n -> "RTM_DELNEIGH (fdb) " + fdb(f, n), true);
  }

  static Request replaceAddress(Address a) {
    return new Request(
        RTM_NEWADDR,
        REPLACE,
        w -> RtnlCodec.address(w, a),
        n -> "RTM_NEWADDR " + a.address() + "/" + a.prefixLength() + " dev " + n.apply(a.ifindex()),
        false);
  }

  static Request deleteAddress(Address a) {
    return new Request(
        RTM_DELADDR,
        0,
        w -> RtnlCodec.address(w, a),
        n -> "RTM_DELADDR " + a.address() + "/" + a.prefixLength() + " dev " + n.apply(a.ifindex()),
        true);
  }

  static Request createLink(LinkSpec s) {
    return new Request(
        RTM_NEWLINK,
        NLM_F_CREATE | NLM_F_EXCL,
        w -> RtnlCodec.linkCreate(w, s),
        n ->
            "RTM_NEWLINK "
                + s.name()
                + " type "
                + s.kind()
                + (s.peerName() == null ? "" : " peer " + s.peerName())
                + (s.vxlan() == null
                    ? ""
                    : " id " + s.vxlan().vni() + " dstport " + s.vxlan().port()),
        false);
  }

  /** RTM_NEWLINK on an existing link: flags, and one optional u32 or byte[] attribute. */
  static Request setLink(int index, int flags, int change, int attr, Object value, String what) {
    return new Request(
        RTM_NEWLINK,
        0,
        w -> {
          w.ifinfomsg(AF_UNSPEC, index, flags, change);
          if (value instanceof Integer i) {
            w.attrU32(attr, i);
          } else if (value instanceof byte[] b) {
            w.attr(attr, b);
          }
        },
        n -> "RTM_NEWLINK dev " + n.apply(index) + " " + what,
        false);
  }

  static Request deleteLink(int index) {
    return new Request(
        RTM_DELLINK,
        0,
        w -> w.ifinfomsg(AF_UNSPEC, index, 0, 0),
        n -> "RTM_DELLINK dev " + n.apply(index),
        true);
  }

  /** "10.244.3.0/24 via 198.18.0.3 dev eth0 onlink", naming devices with {@code n}. */
  static String route(Route r, java.util.function.IntFunction<String> n) {
    return r.destination()
        + (r.gateway() == null ? "" : " via " + r.gateway())
        + (r.ifindex() == 0 ? "" : " dev " + n.apply(r.ifindex()))
        + (r.onlink() ? " onlink" : "")
        + (r.table() == Route.TABLE_MAIN ? "" : " table " + r.table());
  }

  private static String neigh(Neighbour x, java.util.function.IntFunction<String> n) {
    return x.address()
        + " lladdr "
        + x.mac()
        + " dev "
        + n.apply(x.ifindex())
        + (x.state() == Neighbour.NUD_PERMANENT ? " nud permanent" : "");
  }

  private static String fdb(FdbEntry f, java.util.function.IntFunction<String> n) {
    return f.mac() + " dev " + n.apply(f.ifindex()) + " dst " + f.destination() + " self permanent";
  }
}
