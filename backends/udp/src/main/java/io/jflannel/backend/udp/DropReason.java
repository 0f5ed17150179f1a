package io.jflannel.backend.udp;

/** Why the udp backend dropped a packet (the {@code reason} label of its drop counter). */
enum DropReason {
  /** A datagram from an address that is no peer's PublicIP, or from another port. */
  UNKNOWN_SOURCE,
  /** A datagram whose inner destination is not inside our subnet. */
  NOT_OUR_SUBNET,
  /** A packet from TUN for a cluster address no lease owns (answered with ICMP net unreachable). */
  NO_PEER,
  /** Lengths or headers that do not add up. */
  MALFORMED,
  /** Not IPv4 (e.g. IPv6 the kernel sends on the TUN device): only IPv4 is tunnelled. */
  NOT_IPV4,
  /** A TUN offload we did not ask for (only TCPv4 segmentation is enabled). */
  UNSUPPORTED_OFFLOAD,
  /** The UDP socket refused a send. */
  SEND_FAILED,
  /** Reading the TUN device failed. */
  TUN_READ_FAILED,
  /** The TUN device refused a write. */
  TUN_WRITE_FAILED;

  /** The label value. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
