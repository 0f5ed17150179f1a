package io.jflannel.netlink;

/** rtnetlink constants (linux/netlink.h, rtnetlink.h, if_link.h, neighbour.h). */
final class Rtnl {
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_MULTI = 0x2;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_REPLACE = 0x100;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;

  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_NEWADDR = 20;
  static final int RTM_DELADDR = 21;
  static final int RTM_GETADDR = 22;
  static final int RTM_NEWROUTE = 24;
  static final int RTM_DELROUTE = 25;
  static final int RTM_GETROUTE = 26;
  static final int RTM_NEWNEIGH = 28;
  static final int RTM_DELNEIGH = 29;
  static final int RTM_GETNEIGH = 30;

  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int AF_BRIDGE = 7;
  static final int AF_INET6 = 10;

  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_LINK = 5;
  static final int IFLA_MASTER = 10;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_NET_NS_PID = 19;
  static final int IFLA_NET_NS_FD = 28;
  static final int IFLA_INFO_KIND = 1;
  static final int IFLA_INFO_DATA = 2;
  static final int IFLA_VXLAN_ID = 1;
  static final int IFLA_VXLAN_LINK = 3;
  static final int IFLA_VXLAN_LOCAL = 4;
  static final int IFLA_VXLAN_LOCAL6 = 17;
  static final int IFLA_VXLAN_LEARNING = 7;
  static final int IFLA_VXLAN_PORT = 15;
  static final int IFLA_VXLAN_GBP = 23;
  static final int VETH_INFO_PEER = 1;
  static final int IFF_UP = 0x1;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;

  static final int RTA_DST = 1;
  static final int RTA_OIF = 4;
  static final int RTA_GATEWAY = 5;
  static final int RTA_PRIORITY = 6;
  static final int RTA_TABLE = 15;
  static final int RTN_UNICAST = 1;
  static final int RTNH_F_ONLINK = 4;

  static final int NDA_DST = 1;
  static final int NDA_LLADDR = 2;
  static final int NTF_SELF = 0x02;

  static final int RTMGRP_LINK = 0x1;
  static final int RTMGRP_NEIGH = 0x4;
  static final int RTMGRP_IPV4_IFADDR = 0x10;
  static final int RTMGRP_IPV4_ROUTE = 0x40;
  static final int RTMGRP_IPV6_IFADDR = 0x100;
  static final int RTMGRP_IPV6_ROUTE = 0x400;

  /** The address family of an address: AF_INET or AF_INET6. */
  static int family(io.jflannel.net.IpAddress a) {
    return a.isIpv6() ? AF_INET6 : AF_INET;
  }

  /** True for AF_INET and AF_INET6, the families of the objects the agent owns. */
  static boolean ipFamily(int family) {
    return family == AF_INET || family == AF_INET6;
  }

  private Rtnl() {}

  static String typeName(int type) {
    return switch (type) {
      case RTM_NEWLINK -> "RTM_NEWLINK";
      case RTM_DELLINK -> "RTM_DELLINK";
      case RTM_GETLINK -> "RTM_GETLINK";
      case RTM_NEWADDR -> "RTM_NEWADDR";
      case RTM_DELADDR -> "RTM_DELADDR";
      case RTM_GETADDR -> "RTM_GETADDR";
      case RTM_NEWROUTE -> "RTM_NEWROUTE";
      case RTM_DELROUTE -> "RTM_DELROUTE";
      case RTM_GETROUTE -> "RTM_GETROUTE";
      case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
      case RTM_DELNEIGH -> "RTM_DELNEIGH";
      case RTM_GETNEIGH -> "RTM_GETNEIGH";
      default -> "RTM_" + type;
    };
  }
}
