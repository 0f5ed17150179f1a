package io.jflannel.netlink;

import static io.jflannel.netlink.Rtnl.*;

/** The write requests of every object kind, with their descriptions for errors. */
final class Requests {
  private static final int REPLACE = NLM_F_CREATE | NLM_F_REPLACE;

  private Requests() {}

  /** Adds or replaces {@code o} (NLM_F_CREATE | NLM_F_REPLACE). */
  static Request replace(NetlinkObject o) {
    return request(o, false);
  }

  /** Deletes {@code o}; a missing object is not an error. */
  static Request delete(NetlinkObject o) {
    return request(o, true);
  }

  private static Request request(NetlinkObject o, boolean delete) {
    int type;
    String verb;
    java.util.function.Consumer<MessageWriter> body;
    if (o instanceof Route r) {
      type = delete ? RTM_DELROUTE : RTM_NEWROUTE;
      verb = "";
      body = w -> RtnlCodec.route(w, r, delete);
    } else if (o instanceof Neighbour n) {
      type = delete ? RTM_DELNEIGH : RTM_NEWNEIGH;
      verb = "";
      body = w -> RtnlCodec.neighbour(w, n);
    } else if (o instanceof FdbEntry f) {
      type = delete ? RTM_DELNEIGH : RTM_NEWNEIGH;
      verb = "(fdb) ";
      body = w -> RtnlCodec.fdb(w, f);
    } else {
      Address a = (Address) o;
      type = delete ? RTM_DELADDR : RTM_NEWADDR;
      verb = "";
      body = w -> RtnlCodec.address(w, a);
    }
    int t = type; // the description is built only when a request fails or is logged
    String kind = verb;
    return new Request(
        t,
        delete ? 0 : REPLACE,
        body,
        n -> Rtnl.typeName(t) + " " + kind + o.describe(n),
        delete,
        o);
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
        false,
        null);
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
        false,
        null);
  }

  static Request deleteLink(int index) {
    return new Request(
        RTM_DELLINK,
        0,
        w -> w.ifinfomsg(AF_UNSPEC, index, 0, 0),
        n -> "RTM_DELLINK dev " + n.apply(index),
        true,
        null);
  }
}
