package io.jflannel.backend.udp;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The transmit path: one packet read from TUN becomes the datagrams that carry it to the peer
 * owning its destination (flannel's wire format: the IP packet is the whole UDP payload). TCP
 * super-packets (virtio GSO) are segmented here, once, and leave as one UDP GSO send per 64 KB when
 * the socket supports it; partial checksums are completed. Packets for a cluster address no peer
 * owns are answered with ICMP net unreachable into TUN.
 */
final class Encapsulator {
  private final boolean vnet;
  private final boolean udpGso;
  private final Ipv4Net network;
  private final Supplier<PeerTable> table;
  private final IntSupplier ownAddress;
  private final TunSink tun;
  private final UdpStats stats;
  private final ByteBufAllocator alloc;
  private final IcmpUnreachable icmp = new IcmpUnreachable(100);

  Encapsulator(
      TunSink tun,
      boolean udpGso,
      Ipv4Net network,
      Supplier<PeerTable> table,
      IntSupplier ownAddress,
      UdpStats stats,
      ByteBufAllocator alloc) {
    this.vnet = tun.vnetHeader();
    this.udpGso = udpGso;
    this.network = network;
    this.table = table;
    this.ownAddress = ownAddress;
    this.tun = tun;
    this.stats = stats;
    this.alloc = alloc;
  }

  /**
   * Encapsulates the packet in {@code in}'s readable bytes (after a virtio header when TUN has
   * one), handing datagrams to {@code out}. {@code in} is only read: the caller keeps it.
   */
  void encapsulate(ByteBuf in, Consumer<Object> out) {
    int off = in.readerIndex();
    int len = in.readableBytes();
    VnetHeader h = VnetHeader.NONE;
    if (vnet) {
      if (len < VnetHeader.LEN) {
        stats.drop(DropReason.MALFORMED);
        return;
      }
      h = VnetHeader.read(in, off);
      off += VnetHeader.LEN;
      len -= VnetHeader.LEN;
    }
    if (!Ipv4Packet.isIpv4(in, off, len)) {
      boolean v4 = len > 0 && (in.getByte(off) & 0xf0) == 0x40;
      stats.drop(v4 ? DropReason.MALFORMED : DropReason.NOT_IPV4);
      return;
    }
    len = Ipv4Packet.totalLength(in, off);
    int dst = Ipv4Packet.destination(in, off);
    InetSocketAddress to = table.get().lookup(dst);
    if (to == null) {
      noPeer(in, off, len, dst);
      return;
    }
    if (h.baseGsoType() == VnetHeader.GSO_TCPV4) {
      if (Ipv4Packet.protocol(in, off) != Ipv4Packet.PROTO_TCP) {
        stats.drop(DropReason.MALFORMED);
        return;
      }
      int segLen = Ipv4Packet.headerLength(in, off) + Ipv4Packet.tcpHeaderLength(in, off);
      segLen += h.gsoSize();
      int size = segLen;
      TcpSegmenter.segment(in, off, len, h.gsoSize(), alloc, g -> send(g, size, to, out));
    } else if (h.gsoType() != VnetHeader.GSO_NONE) {
      stats.drop(DropReason.UNSUPPORTED_OFFLOAD);
    } else {
      ByteBuf copy = alloc.directBuffer(len).writeBytes(in, off, len);
      if ((h.flags() & VnetHeader.NEEDS_CSUM) != 0) {
        TcpSegmenter.completeChecksum(copy, 0, len, h.csumStart(), h.csumOffset());
      }
      count(1, len);
      out.accept(new DatagramPacket(copy, to));
    }
  }

  /** Counts a packet the segmenter refused. */
  void malformed() {
    stats.drop(DropReason.MALFORMED);
  }

  private void send(ByteBuf group, int segLen, InetSocketAddress to, Consumer<Object> out) {
    int bytes = group.readableBytes();
    int segments = (bytes + segLen - 1) / segLen;
    count(segments, bytes);
    if (segments == 1) {
      out.accept(new DatagramPacket(group, to));
    } else if (udpGso) {
      out.accept(new SegmentedDatagramPacket(group, segLen, to));
    } else {
      for (int at = 0; at < bytes; at += segLen) {
        out.accept(new DatagramPacket(group.retainedSlice(at, Math.min(segLen, bytes - at)), to));
      }
      group.release();
    }
  }

  private void count(int packets, int bytes) {
    stats.txPackets.add(packets);
    stats.txBytes.add(bytes);
  }

  private void noPeer(ByteBuf in, int off, int len, int dst) {
    stats.drop(DropReason.NO_PEER);
    int own = ownAddress.getAsInt();
    if (own == 0
        || !network.contains(new Ipv4Address(dst))
        || !icmp.mayAnswer(in, off, System.nanoTime())) {
      return;
    }
    // from the cluster network's base address: a local one (flannel0's) would be dropped by the
    // kernel as a martian when it comes back in through flannel0
    int from = network.address().value();
    ByteBuf reply = IcmpUnreachable.build(in, off, len, from, vnet ? VnetHeader.LEN : 0, alloc);
    try {
      tun.write(reply);
      stats.icmpSent.increment();
    } finally {
      reply.release();
    }
  }
}
