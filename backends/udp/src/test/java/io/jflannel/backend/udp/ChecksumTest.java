package io.jflannel.backend.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The checksum against headers captured off the wire. */
class ChecksumTest {
  @Test
  void capturedIpv4HeaderChecksumIsReproduced() {
    // captured: 192.168.0.1 -> 192.168.0.199 UDP, checksum 0xb861
    ByteBuf h =
        Unpooled.wrappedBuffer(
            ByteBufUtil.decodeHexDump("450000730000400040110000c0a80001c0a800c7"));
    Checksum.fixIpHeader(h, 0);
    assertThat(h.getUnsignedShort(10)).isEqualTo(0xb861);
  }

  @Test
  void capturedPartialChecksumIsCompletedAndThenCatchesCorruption() {
    // captured off a veth with AF_PACKET: 10.244.1.10:40000 -> 10.244.2.10:5201 SYN (MSS, SACK,
    // TS, WS) as the kernel hands it over with checksum offload: only the pseudo-header sum
    // (0x192a)
    String hex =
        "4500003c723e40004006af820af4010a0af4020a9c40145177b19c9a00000000a002faf0"
            + "192a0000020405b40402080a3c44bf3d000000000103030a";
    ByteBuf p = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
    int len = p.readableBytes();
    assertThat(TestPackets.ipChecksumOk(p, 0)).isTrue();
    long pseudo =
        Checksum.pseudoHeader(Ipv4Packet.source(p, 0), Ipv4Packet.destination(p, 0), 6, len - 20);
    assertThat(p.getUnsignedShort(36))
        .as("partial = folded pseudo-header")
        .isEqualTo(Checksum.fold(pseudo));
    assertThat(Checksum.transportValid(p, 0, len)).isFalse();
    TcpSegmenter.completeChecksum(p, 0, len, 20, 16);
    boolean ok = Checksum.transportValid(p, 0, len);
    p.setByte(50, p.getByte(50) ^ 0x10);
    boolean corrupted = Checksum.transportValid(p, 0, len);
    assertThat(ok).isTrue();
    assertThat(corrupted).isFalse();
  }

  @Test
  void oddLengthsPadWithZero() {
    ByteBuf b = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    assertThat(Checksum.fold(Checksum.sum(b, 0, 3))).isEqualTo(0x0102 + 0x0300);
  }
}
