package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TunSink} that keeps a copy of every packet, in main code like Netty's EmbeddedChannel:
 * the test double for the TUN side of the data path.
 */
final class RecordingTunSink implements TunSink {
  private final boolean vnet;
  private final List<byte[]> packets = new ArrayList<>();

  RecordingTunSink(boolean vnet) {
    this.vnet = vnet;
  }

  @Override
  public boolean vnetHeader() {
    return vnet;
  }

  @Override
  public void write(ByteBuf packet) {
    packets.add(ByteBufUtil.getBytes(packet));
  }

  /** Every packet written so far, as written. */
  List<byte[]> packets() {
    return packets;
  }
}
