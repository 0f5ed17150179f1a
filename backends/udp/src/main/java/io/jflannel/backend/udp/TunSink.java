package io.jflannel.backend.udp;

import io.netty.buffer.ByteBuf;

/**
 * Where decapsulated packets go: the TUN device, or a {@code RecordingTunSink} in tests. One packet
 * per call, the readable bytes of {@code packet} (a virtio header first when the device has one);
 * the caller keeps ownership of the buffer.
 */
interface TunSink {
  /** True when packets carry a virtio_net_hdr first. */
  boolean vnetHeader();

  /** Writes one packet; failures are counted, never thrown. */
  void write(ByteBuf packet);
}
