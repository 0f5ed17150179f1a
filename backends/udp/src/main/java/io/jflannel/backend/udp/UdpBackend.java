package io.jflannel.backend.udp;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendMetric;
import io.jflannel.backend.Device;
import io.jflannel.backend.DeviceAddress;
import io.jflannel.backend.Drift;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The udp backend (design notes in package-info). */
final class UdpBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(UdpBackend.class);
  static final int OVERHEAD = 28;

  private final BackendContext ctx;
  private final Netlink nl;
  private final int port;
  private final String name;
  private final boolean wantOffloads;
  private final UdpStats stats = new UdpStats();
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private volatile PeerTable table;
  private volatile int ownAddress;
  private volatile Ipv4Net ownSubnet;
  private TunPort tun;
  private MultiThreadIoEventLoopGroup group;
  private Channel channel;
  private UdpTunnelHandler handler;

  UdpBackend(BackendContext ctx) {
    this.ctx = ctx;
    this.nl = ctx.netlink();
    this.port = UdpBackendFactory.port(ctx.config());
    this.name = UdpBackendFactory.device(ctx.config());
    this.wantOffloads = ctx.config().backend().boolOption("Offloads", true);
    this.table = PeerTable.empty(ctx.config().subnetLen());
  }

  @Override
  public String type() {
    return "udp";
  }

  @Override
  public int mtu() {
    return ctx.ext().link().mtu() - OVERHEAD;
  }

  @Override
  public LeaseAttrs prepare() {
    io.jflannel.netlink.TunDevice.ensureAvailability();
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause().getMessage());
    }
    if (!PlatformDependent.hasUnsafe()) {
      throw new IllegalStateException(
          "the udp data path needs sun.misc.Unsafe (the jdk.unsupported module) for direct buffers");
    }
    StringBuilder why = new StringBuilder();
    tun = new TunPort(nl, name, wantOffloads, mtu(), ctx.config().network(), stats, why);
    boolean offloads = tun.offloads();
    boolean gso = offloads && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("jflannel-udp", true), EpollIoHandler.newFactory());
    handler =
        new UdpTunnelHandler(
            tun.sink(),
            new TcpCoalescer(alloc),
            () -> table,
            port,
            stats,
            () -> tun.resume(channel));
    channel = UdpChannels.bind(group, handler, ctx.ext().address(), port, offloads);
    Encapsulator enc =
        new Encapsulator(
            tun.sink(), gso, ctx.config().network(), () -> table, () -> ownAddress, stats, alloc);
    tun.register(
        (IoEventLoop) channel.eventLoop(),
        () -> new TunToUdpHandler(enc, channel, stats, tun::failed));
    LOG.info(
        "udp backend: {} (mtu {}) <-> UDP {}:{}; offloads {}",
        name,
        mtu(),
        ctx.ext().address(),
        port,
        offloads
            ? "on (TUN checksum+TSO4, UDP GSO " + (gso ? "on" : "unsupported") + ", UDP GRO on)"
            : "off: " + why);
    return LeaseAttrs.of(ctx.ext().publicIp(), "udp", null);
  }

  @Override
  public void start(Lease own) {
    tun.configure(own.subnet());
    ownSubnet = own.subnet();
    ownAddress = own.subnet().address().value();
    handler.ownSubnet(own.subnet());
    // TUN is read from the first peer set on: until then packets wait in the device's queue
    // (after a restart) instead of being answered "net unreachable"
  }

  @Override
  public List<Address> deviceAddresses() {
    return DeviceAddress.of(tun == null ? 0 : tun.index(), ownSubnet);
  }

  @Override
  public int deviceIndex() {
    return 0; // no neighbours or FDB entries on a TUN device
  }

  @Override
  public List<Route> baseRoutes() {
    return tun == null ? List.of() : tun.routes();
  }

  @Override
  public PeerObjects objectsFor(Lease peer) {
    return PeerObjects.NONE; // reached through our own table
  }

  @Override
  public List<Device> devices() {
    return tun == null ? List.of() : List.of(new Device(name, "tun", mtu(), true, null, null));
  }

  @Override
  public void repairDevice(Drift d) {
    Device have = (Device) d.have();
    if (have != null && !have.adjustableTo((Device) d.want())) {
      nl.link(name).ifPresent(l -> nl.deleteLink(l.index())); // not a TUN device: replace it
      have = null;
    }
    tun.repair(have);
  }

  @Override
  public void peersChanged(Collection<Lease> peers) {
    List<Lease> udp =
        peers.stream()
            .filter(l -> l.attrs() != null && "udp".equals(l.attrs().effectiveBackendType()))
            .toList();
    table = PeerTable.of(udp, ownSubnet, ctx.config().subnetLen(), port);
    if (ownSubnet != null) {
      tun.startReading();
    }
  }

  @Override
  public List<BackendMetric> metrics() {
    return stats.metrics(() -> table.size());
  }

  @Override
  public void close() {
    if (tun != null) {
      tun.close();
    }
    if (channel != null) {
      channel.close().awaitUninterruptibly(200);
    }
    if (group != null) {
      group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
    }
  }
}
