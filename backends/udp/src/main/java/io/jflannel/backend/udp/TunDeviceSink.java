package io.jflannel.backend.udp;

import io.jflannel.netlink.NetlinkException;
import io.jflannel.netlink.TunDevice;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes packets to the TUN device; used from the event loop only. */
final class TunDeviceSink implements TunSink {
  private static final Logger LOG = LoggerFactory.getLogger(TunDeviceSink.class);
  private final UdpStats stats;
  private final RateLimitedWarning warning =
      new RateLimitedWarning(LOG, "writing to the TUN device");
  private volatile TunDevice tun;

  TunDeviceSink(UdpStats stats) {
    this.stats = stats;
  }

  /** Writes go to {@code device} from now on (the device was re-created). */
  void attach(TunDevice device) {
    this.tun = device;
  }

  @Override
  public boolean vnetHeader() {
    return tun.hasVnetHeader();
  }

  @Override
  public void write(ByteBuf packet) {
    if (!packet.hasMemoryAddress()) {
      throw new IllegalArgumentException("TUN writes need a direct buffer");
    }
    try {
      tun.write(packet.memoryAddress() + packet.readerIndex(), packet.readableBytes());
      stats.tunWrites.increment();
    } catch (NetlinkException e) {
      stats.drop(DropReason.TUN_WRITE_FAILED);
      warning.warn(e.getMessage());
    }
  }
}
