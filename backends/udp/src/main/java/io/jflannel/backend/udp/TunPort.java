package io.jflannel.backend.udp;

import io.jflannel.backend.DeviceAddress;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Route;
import io.jflannel.netlink.Sysctl;
import io.jflannel.netlink.TunDevice;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flannel0: the persistent TUN device, its kernel set-up (MTU, address, cluster route) and its
 * channel on the event loop. When reading it fails (someone deleted the device), it is re-created
 * with the same settings, a second later and then every five seconds until that works.
 */
final class TunPort implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TunPort.class);
  private final Netlink nl;
  private final String name;
  private final boolean wantOffloads;
  private final int mtu;
  private final Ipv4Net network;
  private final TunDeviceSink sink;
  private volatile TunDevice tun;
  private volatile Link device;
  private volatile Ipv4Net own;
  private volatile boolean reading;
  private volatile boolean closed;
  private TunReader channel;
  private IoEventLoop loop;
  private Supplier<TunToUdpHandler> handlers;

  /** Opens (or re-attaches to) the device; {@code why} says why offloads are off, if they are. */
  TunPort(
      Netlink nl,
      String name,
      boolean wantOffloads,
      int mtu,
      Ipv4Net network,
      UdpStats stats,
      StringBuilder why) {
    this.nl = nl;
    this.name = name;
    this.wantOffloads = wantOffloads;
    this.mtu = mtu;
    this.network = network;
    this.sink = new TunDeviceSink(stats);
    open(why);
  }

  private void open(StringBuilder why) {
    TunDevice t = TunOpener.open(nl, name, wantOffloads, why);
    if (tun != null && t.hasVnetHeader() != tun.hasVnetHeader()) {
      t.close();
      throw new IllegalStateException(name + " re-opened without its offload mode: " + why);
    }
    tun = t;
    sink.attach(t);
    device = nl.link(name).orElseThrow(() -> new IllegalStateException(name + " vanished"));
    if (device.mtu() != mtu) {
      nl.setMtu(device.index(), mtu);
    }
    try {
      Sysctl.set("net/ipv6/conf/" + name + "/disable_ipv6", "1"); // IPv4 only: no RS/MLD noise
    } catch (UncheckedIOException e) {
      LOG.debug("{}: IPv6 left on ({})", name, e.getMessage());
    }
  }

  boolean offloads() {
    return tun.hasVnetHeader();
  }

  TunSink sink() {
    return sink;
  }

  /** Puts the descriptor on {@code loop}, reading once asked to; each reader a fresh handler. */
  void register(IoEventLoop loop, Supplier<TunToUdpHandler> handlers) {
    this.loop = loop;
    this.handlers = handlers;
    TunToUdpHandler h = handlers.get();
    channel =
        TunReader.register(
            loop, tun.fd(), VnetHeader.LEN + 65_536, PooledByteBufAllocator.DEFAULT, h);
    h.reader(channel);
    if (reading) {
      TunReader c = channel;
      loop.execute(() -> c.reading(true));
    }
  }

  /** Our subnet's address on the device, the device up, the cluster route through it. */
  void configure(Ipv4Net subnet) {
    own = subnet;
    DeviceAddress.assign(nl, device.index(), subnet);
    routes().forEach(nl::replace);
  }

  /** Starts reading packets (once the peers are known). */
  void startReading() {
    if (!reading) {
      reading = true;
      TunReader c = channel;
      loop.execute(() -> c.reading(true));
    }
  }

  /** Reading resumes when the socket drains (event loop). */
  void resume(Channel udp) {
    if (reading && channel != null) {
      TunToUdpHandler.resume(channel, udp, () -> reading);
    }
  }

  int index() {
    return device == null ? 0 : device.index();
  }

  List<Route> routes() {
    return device == null ? List.of() : List.of(Route.dev(network, device.index()));
  }

  /** Reading failed: drop the descriptor and re-create the device (event loop). */
  void failed(Throwable cause) {
    LOG.error("{} cannot be read ({}): re-creating it", name, cause.toString());
    detach();
    loop.schedule(this::reopen, 1, TimeUnit.SECONDS);
  }

  /**
   * Puts the device back as it must be (reconcile, after a monitor event): re-created when it is
   * gone ({@code have} null), else its MTU and up state corrected. Waits up to 2 s for the event
   * loop.
   */
  void repair(io.jflannel.backend.Device have) {
    if (have == null) {
      try {
        loop.submit(
                () -> {
                  detach();
                  reopen();
                })
            .get(2, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("re-creating " + name + ": " + e.getCause(), e);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("re-creating " + name + ": timed out", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("re-creating " + name + ": interrupted", e);
      }
      if (nl.link(name).isEmpty()) {
        throw new IllegalStateException(name + " could not be re-created");
      }
      return;
    }
    Link l = nl.link(name).orElseThrow(() -> new IllegalStateException(name + " vanished"));
    if (l.mtu() != mtu) {
      nl.setMtu(l.index(), mtu);
    }
    if (!l.isUp()) {
      nl.setUp(l.index(), true);
    }
  }

  private void reopen() {
    if (closed || (channel != null && nl.link(name).map(l -> l.index() == index()).orElse(false))) {
      return; // closed, or already re-created
    }
    try {
      open(new StringBuilder());
      register(loop, handlers);
      if (own != null) {
        configure(own);
      }
      LOG.info("re-created {} (index {})", name, device.index());
    } catch (RuntimeException e) {
      LOG.warn("re-creating {}: {}; trying again in 5 s", name, e.getMessage());
      detach();
      loop.schedule(this::reopen, 5, TimeUnit.SECONDS);
    }
  }

  private void detach() {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    if (tun != null) {
      tun.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (channel != null) {
      TunReader c = channel;
      loop.submit(c::close).awaitUninterruptibly(200);
    }
    if (tun != null) {
      tun.close(); // the device persists, with its address and route, for the next start
    }
  }
}
