package io.jflannel.netlink;

import static io.jflannel.netlink.Rtnl.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel change notifications (links, IPv4 addresses, routes, neighbours, FDB entries) delivered as
 * {@link NetlinkEvent}s on the thread {@code jflannel-netlink-monitor}. When the kernel drops
 * events (ENOBUFS) the listener gets one event with no payload: resync everything.
 */
final class RtnlMonitor implements NetlinkMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(RtnlMonitor.class);
  private static final int ENOBUFS = 105;

  private final NetlinkSocket socket;
  private final Consumer<NetlinkEvent> listener;
  private final Thread thread;
  private volatile boolean running = true;

  RtnlMonitor(Consumer<NetlinkEvent> listener) {
    this.listener = listener;
    this.socket =
        new NetlinkSocket(
            RTMGRP_LINK
                | RTMGRP_NEIGH
                | RTMGRP_IPV4_IFADDR
                | RTMGRP_IPV4_ROUTE
                | RTMGRP_IPV6_IFADDR
                | RTMGRP_IPV6_ROUTE,
            4 * 1024 * 1024);
    socket.receiveTimeout(200);
    this.thread = new Thread(this::run, "jflannel-netlink-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.nativeOrder());
    while (running) {
      try {
        if (socket.receive(in) < 0) {
          continue;
        }
        for (int p = 0; p + 16 <= in.limit(); ) {
          int len = in.getInt(p);
          if (len < 16) {
            break;
          }
          NetlinkEvent e = decode(in.getShort(p + 4) & 0xffff, in, p + 16, p + len);
          if (e != null) {
            listener.accept(e);
          }
          p += (len + 3) & ~3;
        }
      } catch (NetlinkException e) {
        if (!running) {
          return;
        }
        if (e.errno() == ENOBUFS) {
          LOG.warn("netlink monitor overflowed: kernel dropped events; asking for a full resync");
          listener.accept(NetlinkEvent.overflowed());
        } else {
          LOG.warn("netlink monitor: {}", e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.error("netlink monitor listener failed", e);
      }
    }
  }

  /** A unicast route's event; blackhole routes are not the peers' (as in {@code routes}). */
  private static Route unicast(ByteBuffer b, int from, int to) {
    Route r = RtnlCodec.route(b, from, to);
    return r == null || r.routeType() != Route.RTN_UNICAST ? null : r;
  }

  static NetlinkEvent decode(int type, ByteBuffer b, int from, int to) {
    return switch (type) {
      case RTM_NEWLINK, RTM_DELLINK ->
          new NetlinkEvent(type == RTM_DELLINK, RtnlCodec.link(b, from, to), null);
      case RTM_NEWADDR, RTM_DELADDR -> wrap(type == RTM_DELADDR, RtnlCodec.address(b, from, to));
      case RTM_NEWROUTE, RTM_DELROUTE -> wrap(type == RTM_DELROUTE, unicast(b, from, to));
      case RTM_NEWNEIGH, RTM_DELNEIGH ->
          wrap(
              type == RTM_DELNEIGH,
              (b.get(from) & 0xff) == AF_BRIDGE
                  ? RtnlCodec.fdb(b, from, to)
                  : RtnlCodec.neighbour(b, from, to));
      default -> null;
    };
  }

  private static NetlinkEvent wrap(boolean removed, NetlinkObject o) {
    return o == null ? null : new NetlinkEvent(removed, null, o);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }
}
