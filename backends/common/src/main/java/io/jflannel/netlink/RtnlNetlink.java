package io.jflannel.netlink;

import static io.jflannel.netlink.Rtnl.*;

import io.jflannel.net.MacAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link Netlink} over an AF_NETLINK/NETLINK_ROUTE socket through jnr-ffi. Thread-safe: one request
 * or dump at a time on the socket. Batches are written into one buffer, sent in chunks of up to
 * {@value #CHUNK} bytes (one syscall each) and their acknowledgements read back per chunk; parts of
 * a batch sent ahead ({@link Batch#flush()}) go out on one sender thread, which ends when idle.
 */
public final class RtnlNetlink implements Netlink {
  private static final int CHUNK = 128 * 1024;
  private static final int SOCKET_BUFFER = 8 * 1024 * 1024;

  private final NetlinkSocket socket = new NetlinkSocket(0, SOCKET_BUFFER);
  private final MessageWriter writer = new MessageWriter(CHUNK + 4096);
  private final ByteBuffer in =
      ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.nativeOrder());
  private int seq = (int) (System.nanoTime() & 0xffff);

  /** Sends the parts of a batch flushed ahead, in order; its thread ends when idle for 2 s. */
  private final ThreadPoolExecutor sender =
      new ThreadPoolExecutor(
          0,
          1,
          2,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "jflannel-netlink-send");
            t.setDaemon(true);
            return t;
          });

  /** Opens a socket in the calling thread's network namespace. */
  public RtnlNetlink() {}

  // ---- requests ----

  /** Sends {@code requests}, acknowledging each; returns the failures (request index, errno). */
  private synchronized List<int[]> transact(List<Request> requests) {
    List<int[]> failures = new ArrayList<>();
    int i = 0;
    while (i < requests.size()) {
      writer.clear();
      int first = seq + 1;
      int firstIndex = i;
      while (i < requests.size() && writer.position() < CHUNK) {
        Request r = requests.get(i++);
        int start = writer.begin(r.type(), NLM_F_REQUEST | NLM_F_ACK | r.flags(), ++seq);
        r.body().accept(writer);
        writer.end(start);
      }
      int count = i - firstIndex;
      socket.send(writer.flip(), Rtnl.typeName(requests.get(firstIndex).type()) + " x" + count);
      int acked = 0;
      while (acked < count) {
        if (socket.receive(in) < 0) {
          throw new NetlinkException(
              "waiting for netlink acknowledgements (" + acked + " of " + count + ")",
              NetlinkSocket.EAGAIN);
        }
        for (int p = 0; p + 16 <= in.limit(); ) {
          int len = in.getInt(p);
          int type = in.getShort(p + 4) & 0xffff;
          int s = in.getInt(p + 8);
          if (len < 16) {
            break;
          }
          if (type == NLMSG_ERROR && s - first >= 0 && s - first < count) {
            acked++;
            int err = -in.getInt(p + 16);
            Request r = requests.get(firstIndex + (s - first));
            if (err != 0 && !(r.delete() && Request.absent(err))) {
              failures.add(new int[] {firstIndex + (s - first), err});
            }
          }
          p += (len + 3) & ~3;
        }
      }
    }
    return failures;
  }

  BatchResult execute(List<Request> requests) {
    if (requests.isEmpty()) {
      return new BatchResult(0, List.of());
    }
    List<int[]> failures = transact(requests);
    List<BatchResult.Failure> out = new ArrayList<>(failures.size());
    for (int[] f : failures) {
      Request r = requests.get(f[0]);
      out.add(
          new BatchResult.Failure(
              r.object(),
              r.delete(),
              new NetlinkException(r.description().apply(this::nameOf), f[1])));
    }
    return new BatchResult(requests.size(), out);
  }

  private void execute(Request r) {
    execute(List.of(r)).throwIfFailed();
  }

  private String nameOf(int index) {
    try {
      return link(index).map(Link::name).orElse("#" + index);
    } catch (NetlinkException e) {
      return "#" + index;
    }
  }

  /** Runs a dump (or a single get) and decodes every reply with {@code decode}. */
  private synchronized <T> List<T> dump(
      int type, int flags, Consumer<MessageWriter> body, String what, Decoder<T> decode) {
    writer.clear();
    int mySeq = ++seq;
    int start = writer.begin(type, NLM_F_REQUEST | flags, mySeq);
    body.accept(writer);
    writer.end(start);
    socket.send(writer.flip(), what);
    List<T> out = new ArrayList<>();
    boolean multi = (flags & NLM_F_DUMP) != 0;
    for (; ; ) {
      if (socket.receive(in) < 0) {
        throw new NetlinkException(what + ": no answer", NetlinkSocket.EAGAIN);
      }
      for (int p = 0; p + 16 <= in.limit(); ) {
        int len = in.getInt(p);
        int t = in.getShort(p + 4) & 0xffff;
        int s = in.getInt(p + 8);
        if (len < 16) {
          break;
        }
        if (s == mySeq) {
          if (t == NLMSG_DONE) {
            return out;
          }
          if (t == NLMSG_ERROR) {
            int err = -in.getInt(p + 16);
            if (err != 0) {
              throw new NetlinkException(what, err);
            }
            return out;
          }
          T v = decode.decode(in, p + 16, p + len);
          if (v != null) {
            out.add(v);
          }
          if (!multi) {
            return out;
          }
        }
        p += (len + 3) & ~3;
      }
    }
  }

  /** Decodes one message body. */
  interface Decoder<T> {
    T decode(ByteBuffer b, int from, int to);
  }

  // ---- links ----

  @Override
  public Optional<Link> link(String name) {
    try {
      return dump(
              RTM_GETLINK,
              0,
              w -> {
                w.ifinfomsg(AF_UNSPEC, 0, 0, 0);
                w.attrString(IFLA_IFNAME, name);
              },
              "RTM_GETLINK " + name,
              RtnlCodec::link)
          .stream()
          .findFirst();
    } catch (NetlinkException e) {
      if (e.errno() == NetlinkException.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<Link> link(int index) {
    try {
      return dump(
              RTM_GETLINK,
              0,
              w -> w.ifinfomsg(AF_UNSPEC, index, 0, 0),
              "RTM_GETLINK #" + index,
              RtnlCodec::link)
          .stream()
          .findFirst();
    } catch (NetlinkException e) {
      if (e.errno() == NetlinkException.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<Link> links() {
    return dump(
        RTM_GETLINK,
        NLM_F_DUMP,
        w -> w.ifinfomsg(AF_UNSPEC, 0, 0, 0),
        "RTM_GETLINK dump",
        RtnlCodec::link);
  }

  @Override
  public Link createLink(LinkSpec spec) {
    execute(Requests.createLink(spec));
    return link(spec.name())
        .orElseThrow(
            () ->
                new NetlinkException(
                    "RTM_GETLINK " + spec.name() + " after creating it", NetlinkException.ENODEV));
  }

  @Override
  public void setUp(int index, boolean up) {
    execute(Requests.setLink(index, up ? IFF_UP : 0, IFF_UP, 0, null, up ? "up" : "down"));
  }

  @Override
  public void setMtu(int index, int mtu) {
    execute(Requests.setLink(index, 0, 0, IFLA_MTU, mtu, "mtu " + mtu));
  }

  @Override
  public void setMac(int index, MacAddress mac) {
    execute(Requests.setLink(index, 0, 0, IFLA_ADDRESS, mac.bytes(), "address " + mac));
  }

  @Override
  public void setMaster(int index, int masterIndex) {
    execute(Requests.setLink(index, 0, 0, IFLA_MASTER, masterIndex, "master #" + masterIndex));
  }

  @Override
  public void moveToNamespaceFd(int index, int namespaceFd) {
    execute(Requests.setLink(index, 0, 0, IFLA_NET_NS_FD, namespaceFd, "netns fd " + namespaceFd));
  }

  @Override
  public void moveToNamespacePid(int index, int pid) {
    execute(Requests.setLink(index, 0, 0, IFLA_NET_NS_PID, pid, "netns pid " + pid));
  }

  @Override
  public void deleteLink(int index) {
    execute(Requests.deleteLink(index));
  }

  // ---- addresses, routes, neighbours, fdb ----

  @Override
  public void replace(NetlinkObject o) {
    execute(Requests.replace(o));
  }

  @Override
  public void delete(NetlinkObject o) {
    execute(Requests.delete(o));
  }

  @Override
  public List<Address> addresses(int ifindex) {
    List<Address> all =
        dump(
            RTM_GETADDR,
            NLM_F_DUMP,
            w -> w.u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0),
            "RTM_GETADDR dump",
            RtnlCodec::address);
    return ifindex == 0 ? all : all.stream().filter(a -> a.ifindex() == ifindex).toList();
  }

  @Override
  public List<Route> routes(int table) {
    return routesWithBlackholes(table).stream()
        .filter(r -> r.routeType() == Route.RTN_UNICAST)
        .toList();
  }

  @Override
  public List<Route> routesWithBlackholes(int table) {
    List<Route> all =
        dump(
            RTM_GETROUTE,
            NLM_F_DUMP,
            w -> w.u8(AF_UNSPEC).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0),
            "RTM_GETROUTE dump",
            RtnlCodec::route);
    return all.stream().filter(r -> r.table() == table).toList();
  }

  @Override
  public Optional<Route> routeTo(io.jflannel.net.IpAddress destination) {
    try {
      return dump(
              RTM_GETROUTE,
              0,
              w -> {
                w.u8(family(destination)).u8(destination.bits()).u8(0).u8(0);
                w.u8(0).u8(0).u8(0).u8(0).u32(0);
                w.attr(RTA_DST, destination.toBytes());
              },
              "RTM_GETROUTE " + destination,
              RtnlCodec::route)
          .stream()
          .findFirst();
    } catch (NetlinkException e) {
      if (e.errno() == 101 || e.errno() == 113) { // ENETUNREACH, EHOSTUNREACH
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<Neighbour> neighbours(int ifindex) {
    return neighbourTable(
        AF_UNSPEC, "RTM_GETNEIGH dump", RtnlCodec::neighbour, Neighbour::ifindex, ifindex);
  }

  @Override
  public List<FdbEntry> fdb(int ifindex) {
    return neighbourTable(
        AF_BRIDGE, "RTM_GETNEIGH (fdb) dump", RtnlCodec::fdb, FdbEntry::ifindex, ifindex);
  }

  /**
   * Dumps the neighbour table of one family (AF_UNSPEC: ARP and NDP, AF_BRIDGE: FDB), of one device
   * or all (0).
   */
  private <T> List<T> neighbourTable(
      int family,
      String what,
      Decoder<T> decode,
      java.util.function.ToIntFunction<T> index,
      int ifindex) {
    List<T> all =
        dump(
            RTM_GETNEIGH,
            NLM_F_DUMP,
            w -> w.u8(family).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0),
            what,
            decode);
    return ifindex == 0 ? all : all.stream().filter(x -> index.applyAsInt(x) == ifindex).toList();
  }

  @Override
  public Batch batch() {
    return new RequestBatch(this::execute, sender);
  }

  @Override
  public NetlinkMonitor monitor(Consumer<NetlinkEvent> listener) {
    return new RtnlMonitor(listener);
  }

  @Override
  public void close() {
    sender.shutdown();
    socket.close();
  }
}
