package io.jflannel.backend.udp;

import io.jflannel.netlink.TunDevice;
import io.netty.buffer.ByteBuf;

/**
 * struct virtio_net_hdr, the 10 bytes before every packet on a TUN device opened with IFF_VNET_HDR
 * (little-endian on x86): checksum and segmentation offload requests.
 *
 * @param flags {@link #NEEDS_CSUM} and/or {@link #DATA_VALID}
 * @param gsoType {@link #GSO_NONE}, {@link #GSO_TCPV4}, ... ({@link #GSO_ECN} may be or-ed in)
 * @param hdrLen length of the headers to repeat in each segment
 * @param gsoSize payload bytes per segment (the MSS)
 * @param csumStart where checksumming starts
 * @param csumOffset where after csumStart the checksum goes
 */
record VnetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
  static final int LEN = TunDevice.VNET_HDR_LEN;
  static final int NEEDS_CSUM = 1;
  static final int DATA_VALID = 2;
  static final int GSO_NONE = 0;
  static final int GSO_TCPV4 = 1;
  static final int GSO_ECN = 0x80;

  /** No offload requested. */
  static final VnetHeader NONE = new VnetHeader(0, GSO_NONE, 0, 0, 0, 0);

  /** Reads the header at {@code off}. */
  static VnetHeader read(ByteBuf b, int off) {
    return new VnetHeader(
        b.getUnsignedByte(off),
        b.getUnsignedByte(off + 1),
        b.getUnsignedShortLE(off + 2),
        b.getUnsignedShortLE(off + 4),
        b.getUnsignedShortLE(off + 6),
        b.getUnsignedShortLE(off + 8));
  }

  /** Appends this header to {@code b}. */
  void write(ByteBuf b) {
    b.writeByte(flags)
        .writeByte(gsoType)
        .writeShortLE(hdrLen)
        .writeShortLE(gsoSize)
        .writeShortLE(csumStart)
        .writeShortLE(csumOffset);
  }

  /** The GSO type without the ECN bit. */
  int baseGsoType() {
    return gsoType & ~GSO_ECN;
  }
}
