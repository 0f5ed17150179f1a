package io.jflannel.backend.udp;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendMetric;
import io.jflannel.backend.DeviceAddress;
import io.jflannel.backend.PeerObjects;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.Sysctl;
import io.jflannel.netlink.TunDevice;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollTunChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.io.UncheckedIOException;
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
  private volatile boolean reading;
  private TunDevice tun;
  private Link device;
  private EpollEventLoopGroup group;
  private Channel channel;
  private UdpTunnelHandler handler;
  private EpollTunChannel tunChannel;

  UdpBackend(BackendContext ctx) {
    this.ctx = ctx;
    this.nl = ctx.netlink();
    this.port = ctx.config().backend().port();
    this.name = ctx.config().backend().textOption("Device", "flannel0");
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
    TunDevice.ensureAvailability();
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause().getMessage());
    }
    if (!PlatformDependent.hasUnsafe()) {
      throw new IllegalStateException(
          "the udp data path needs sun.misc.Unsafe (the jdk.unsupported module) for direct buffers");
    }
    StringBuilder why = new StringBuilder();
    tun = TunOpener.open(nl, name, wantOffloads, why);
    device = nl.link(name).orElseThrow(() -> new IllegalStateException(name + " vanished"));
    if (device.mtu() != mtu()) {
      nl.setMtu(device.index(), mtu());
    }
    try {
      Sysctl.set("net/ipv6/conf/" + name + "/disable_ipv6", "1"); // IPv4 only: no RS/MLD noise
    } catch (UncheckedIOException e) {
      LOG.debug("{}: IPv6 left on ({})", name, e.getMessage());
    }
    boolean offloads = tun.hasVnetHeader();
    boolean gso = offloads && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    TunSink sink = new TunDeviceSink(tun, stats);
    group = new EpollEventLoopGroup(1, new DefaultThreadFactory("jflannel-udp", true));
    handler =
        new UdpTunnelHandler(
            sink,
            new TcpCoalescer(alloc),
            () -> table,
            port,
            stats,
            () -> {
              if (reading) {
                TunToUdpHandler.resume(tunChannel, channel);
              }
            });
    channel = UdpChannels.bind(group, handler, ctx.ext().address(), port, offloads);
    Encapsulator enc =
        new Encapsulator(
            sink, gso, ctx.config().network(), () -> table, () -> ownAddress, stats, alloc);
    tunChannel = new EpollTunChannel(tun.fd(), VnetHeader.LEN + 65_536);
    tunChannel.config().setAutoRead(false); // until our subnet and the peers are known
    tunChannel.pipeline().addLast(new TunToUdpHandler(enc, channel, stats));
    channel.eventLoop().register(tunChannel).syncUninterruptibly();
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
    DeviceAddress.assign(nl, device.index(), own.subnet());
    baseRoutes().forEach(nl::replaceRoute);
    ownSubnet = own.subnet();
    ownAddress = own.subnet().address().value();
    handler.ownSubnet(own.subnet());
    // TUN is read from the first peer set on: until then packets wait in the device's queue
    // (after a restart) instead of being answered "net unreachable"
  }

  @Override
  public List<Address> deviceAddresses() {
    return DeviceAddress.of(device == null ? 0 : device.index(), ownSubnet);
  }

  @Override
  public int deviceIndex() {
    return 0; // no neighbours or FDB entries on a TUN device
  }

  @Override
  public List<Route> baseRoutes() {
    return device == null ? List.of() : List.of(Route.dev(ctx.config().network(), device.index()));
  }

  @Override
  public PeerObjects objectsFor(Lease peer) {
    if (!"udp".equals(peer.attrs().effectiveBackendType())) {
      return null;
    }
    return new PeerObjects(List.of(), List.of(), List.of()); // reached through our own table
  }

  @Override
  public void peersChanged(Collection<Lease> peers) {
    List<Lease> udp =
        peers.stream()
            .filter(l -> l.attrs() != null && "udp".equals(l.attrs().effectiveBackendType()))
            .toList();
    table = PeerTable.of(udp, ownSubnet, ctx.config().subnetLen(), port);
    if (ownSubnet != null && !reading) {
      reading = true;
      tunChannel.config().setAutoRead(true);
    }
  }

  @Override
  public List<BackendMetric> metrics() {
    return stats.metrics(() -> table.size());
  }

  @Override
  public void close() {
    if (tunChannel != null) {
      tunChannel.close().awaitUninterruptibly(200);
    }
    if (tun != null) {
      tun.close(); // the device persists, with its address and route, for the next start
    }
    if (channel != null) {
      channel.close().awaitUninterruptibly(200);
    }
    if (group != null) {
      group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
    }
  }
}
