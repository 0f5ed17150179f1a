package io.jflannel.netlink;

import static io.jflannel.netlink.Rtnl.*;

import io.jflannel.net.IpAddress;
import io.jflannel.net.IpNet;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import io.jflannel.net.MacAddress;
import java.nio.ByteBuffer;

/** Encodes requests and decodes replies for each kind of rtnetlink object. */
final class RtnlCodec {
  /** The metric the kernel gives an IPv6 route added without one. */
  static final int IPV6_DEFAULT_METRIC = 1024;

  private RtnlCodec() {}

  // ---- links ----

  static void linkCreate(MessageWriter w, LinkSpec s) {
    w.ifinfomsg(AF_UNSPEC, 0, 0, 0);
    w.attrString(IFLA_IFNAME, s.name());
    if (s.mtu() > 0) {
      w.attrU32(IFLA_MTU, s.mtu());
    }
    if (s.mac() != null) {
      w.attr(IFLA_ADDRESS, s.mac().bytes());
    }
    int info = w.nest(IFLA_LINKINFO);
    w.attrString(IFLA_INFO_KIND, s.kind());
    if (s.vxlan() != null) {
      VxlanInfo v = s.vxlan();
      int data = w.nest(IFLA_INFO_DATA);
      w.attrU32(IFLA_VXLAN_ID, v.vni());
      if (v.underlayIndex() != 0) {
        w.attrU32(IFLA_VXLAN_LINK, v.underlayIndex());
      }
      if (v.local() != null) {
        w.attr(v.local().isIpv6() ? IFLA_VXLAN_LOCAL6 : IFLA_VXLAN_LOCAL, v.local().toBytes());
      }
      w.attrU8(IFLA_VXLAN_LEARNING, v.learning() ? 1 : 0);
      w.attrBe16(IFLA_VXLAN_PORT, v.port());
      if (v.gbp()) {
        w.attr(IFLA_VXLAN_GBP, new byte[0]); // a flag: present means on
      }
      w.endNest(data);
    } else if (s.peerName() != null) {
      int data = w.nest(IFLA_INFO_DATA);
      int peer = w.nest(VETH_INFO_PEER);
      w.ifinfomsg(AF_UNSPEC, 0, 0, 0);
      w.attrString(IFLA_IFNAME, s.peerName());
      w.endNest(peer);
      w.endNest(data);
    }
    w.endNest(info);
  }

  static Link link(ByteBuffer b, int p, int end) {
    int index = b.getInt(p + 4);
    int flags = b.getInt(p + 8);
    Attrs a = new Attrs(b, p + 16, end);
    byte[] mac = a.bytes(IFLA_ADDRESS);
    String kind = null;
    VxlanInfo vx = null;
    Attrs info = a.nested(IFLA_LINKINFO);
    if (info != null) {
      kind = info.string(IFLA_INFO_KIND);
      Attrs data = info.nested(IFLA_INFO_DATA);
      if ("vxlan".equals(kind) && data != null) {
        byte[] local = data.bytes(IFLA_VXLAN_LOCAL);
        byte[] local6 = data.bytes(IFLA_VXLAN_LOCAL6);
        vx =
            new VxlanInfo(
                data.u32(IFLA_VXLAN_ID, 0),
                local != null && local.length == 4
                    ? Ipv4Address.of(local)
                    : local6 != null && local6.length == 16 ? Ipv6Address.of(local6) : null,
                data.be16(IFLA_VXLAN_PORT, 0),
                data.u32(IFLA_VXLAN_LINK, 0),
                data.u8(IFLA_VXLAN_LEARNING, 1) != 0,
                data.has(IFLA_VXLAN_GBP));
      }
    }
    return new Link(
        index,
        a.string(IFLA_IFNAME),
        flags,
        a.u32(IFLA_MTU, 0),
        mac == null || mac.length != 6 ? null : new MacAddress(mac),
        kind,
        a.u32(IFLA_MASTER, 0),
        vx);
  }

  // ---- addresses ----

  static void address(MessageWriter w, Address a) {
    // IFA_F_NODAD (0x02) for IPv6: ours is a /128 on a VXLAN device, no duplicate to detect
    w.u8(family(a.address())).u8(a.prefixLength()).u8(a.address().isIpv6() ? 0x02 : 0).u8(0);
    w.u32(a.ifindex());
    w.attr(IFA_LOCAL, a.address().toBytes());
    w.attr(IFA_ADDRESS, a.address().toBytes());
  }

  static Address address(ByteBuffer b, int p, int end) {
    if (!ipFamily(b.get(p) & 0xff)) {
      return null;
    }
    Attrs a = new Attrs(b, p + 8, end);
    byte[] ip = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
    return ip == null || (ip.length != 4 && ip.length != 16)
        ? null
        : new Address(b.getInt(p + 4), IpAddress.of(ip), b.get(p + 1) & 0xff);
  }

  // ---- routes ----

  static void route(MessageWriter w, Route r, boolean delete) {
    int table = r.table() < 256 ? r.table() : 0;
    boolean v6 = r.destination().isIpv6();
    w.u8(v6 ? AF_INET6 : AF_INET)
        .u8(r.destination().prefixLength())
        .u8(0)
        .u8(0)
        .u8(table)
        .u8(r.protocol())
        .u8(delete ? 255 : v6 ? Route.SCOPE_UNIVERSE : r.scope())
        .u8(r.routeType())
        .u32(r.onlink() ? RTNH_F_ONLINK : 0);
    w.attr(RTA_DST, r.destination().address().toBytes());
    if (r.gateway() != null) {
      w.attr(RTA_GATEWAY, r.gateway().toBytes());
    }
    if (r.ifindex() != 0) {
      w.attrU32(RTA_OIF, r.ifindex());
    }
    if (r.priority() != 0 || (v6 && delete)) { // an IPv6 route of metric 0 is the kernel's 1024
      w.attrU32(RTA_PRIORITY, v6 && r.priority() == 0 ? IPV6_DEFAULT_METRIC : r.priority());
    }
    w.attrU32(RTA_TABLE, r.table());
  }

  static Route route(ByteBuffer b, int p, int end) {
    int family = b.get(p) & 0xff;
    int type = b.get(p + 7) & 0xff;
    if (!ipFamily(family) || (type != RTN_UNICAST && type != Route.RTN_BLACKHOLE)) {
      return null;
    }
    Attrs a = new Attrs(b, p + 12, end);
    byte[] dst = a.bytes(RTA_DST);
    byte[] gw = a.bytes(RTA_GATEWAY);
    int len = b.get(p + 1) & 0xff;
    boolean v6 = family == AF_INET6;
    int metric = a.u32(RTA_PRIORITY, 0);
    IpNet destination;
    try {
      destination =
          v6
              ? new Ipv6Net(dst == null ? new Ipv6Address(0, 0) : Ipv6Address.of(dst), len)
              : new Ipv4Net(dst == null ? new Ipv4Address(0) : Ipv4Address.of(dst), len);
    } catch (IllegalArgumentException e) {
      return null; // not a route of ours (e.g. a multipath or malformed entry)
    }
    return new Route(
        destination,
        gw == null || gw.length != (v6 ? 16 : 4) ? null : IpAddress.of(gw),
        a.u32(RTA_OIF, 0),
        a.u32(RTA_TABLE, b.get(p + 4) & 0xff),
        b.get(p + 5) & 0xff,
        b.get(p + 6) & 0xff,
        (b.getInt(p + 8) & RTNH_F_ONLINK) != 0,
        type,
        v6 && metric == IPV6_DEFAULT_METRIC ? 0 : metric);
  }

  // ---- neighbours and FDB ----

  static void neighbour(MessageWriter w, Neighbour n) {
    w.u8(family(n.address())).u8(0).u16(0).u32(n.ifindex()).u16(n.state()).u8(0).u8(0);
    w.attr(NDA_DST, n.address().toBytes());
    if (n.mac() != null) {
      w.attr(NDA_LLADDR, n.mac().bytes());
    }
  }

  static Neighbour neighbour(ByteBuffer b, int p, int end) {
    if (!ipFamily(b.get(p) & 0xff)) {
      return null;
    }
    Attrs a = new Attrs(b, p + 12, end);
    byte[] dst = a.bytes(NDA_DST);
    byte[] ll = a.bytes(NDA_LLADDR);
    return dst == null || (dst.length != 4 && dst.length != 16)
        ? null
        : new Neighbour(
            b.getInt(p + 4),
            IpAddress.of(dst),
            ll == null || ll.length != 6 ? null : new MacAddress(ll),
            b.getShort(p + 8) & 0xffff);
  }

  static void fdb(MessageWriter w, FdbEntry f) {
    w.u8(AF_BRIDGE).u8(0).u16(0).u32(f.ifindex()).u16(Neighbour.NUD_PERMANENT).u8(NTF_SELF).u8(0);
    w.attr(NDA_LLADDR, f.mac().bytes());
    w.attr(NDA_DST, f.destination().toBytes());
  }

  static FdbEntry fdb(ByteBuffer b, int p, int end) {
    if ((b.get(p) & 0xff) != AF_BRIDGE || (b.get(p + 10) & NTF_SELF) == 0) {
      return null;
    }
    Attrs a = new Attrs(b, p + 12, end);
    byte[] dst = a.bytes(NDA_DST);
    byte[] ll = a.bytes(NDA_LLADDR);
    return dst == null || (dst.length != 4 && dst.length != 16) || ll == null || ll.length != 6
        ? null
        : new FdbEntry(b.getInt(p + 4), new MacAddress(ll), IpAddress.of(dst));
  }
}
