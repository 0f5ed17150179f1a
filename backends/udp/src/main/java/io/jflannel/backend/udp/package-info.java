/**
 * udp: our own userspace encapsulation, TUN device to Netty epoll UDP socket and back.
 *
 * <p>Packet path: a container on node A sends to 10.244.3.5; node A's route {@code 10.244.0.0/16
 * dev flannel0 proto 121} hands it to the TUN device {@code flannel0}; its descriptor sits on the
 * Netty epoll event loop beside the UDP socket ({@link io.netty.channel.epoll.EpollTunChannel}), so
 * the one event-loop thread wakes, reads it ({@link io.jflannel.backend.udp.TunToUdpHandler}),
 * looks 10.244.3.0/24 up in the lock-free peer table and sends the IP packet as the whole payload
 * of a UDP datagram to B's PublicIP:8285 — flannel's udp wire format, so jflanneld and flanneld
 * nodes interoperate. Node B's event loop receives it, checks the sender is a peer's PublicIP on
 * our port and the inner destination is inside B's subnet, and writes it to B's flannel0; B routes
 * it to its cni0.
 *
 * <p>Offloads (Backend {@code "Offloads"}, default true when available): flannel0 is opened with
 * IFF_VNET_HDR and TUNSETOFFLOAD(CSUM|TSO4), so TCP leaves the kernel as 64 KB super-packets; they
 * are segmented once ({@link io.jflannel.backend.udp.TcpSegmenter}, full checksums) and leave as
 * one UDP GSO send; the socket has UDP_GRO, so a read returns a whole burst, and consecutive
 * segments of a flow are merged back ({@link io.jflannel.backend.udp.TcpCoalescer}) into one TUN
 * write that the kernel segments (or passes whole to the container's veth). Without them: one
 * packet per TUN read/write, recvmmsg/sendmmsg batches on the socket.
 *
 * <p>Dropped and counted ({@code jflannel_udp_drops_total{reason}}): datagrams from anyone but a
 * peer's PublicIP:port ({@code unknown_source}), inner destinations outside our subnet ({@code
 * not_our_subnet}), malformed packets and anything but IPv4 ({@code not_ipv4}). Packets for a
 * cluster address no lease owns are answered with ICMP net unreachable (as flannel does), at most
 * 100 a second, and counted as {@code no_peer}.
 *
 * <p>Kernel objects: {@code flannel0} (persistent TUN, MTU ext−28, address {@code <own
 * subnet>.0/32}) and one route for the cluster network through it, restored by reconcile; a device
 * deleted by hand is re-created ({@link io.jflannel.backend.udp.TunPort}). The device outlives the
 * agent so that a restart re-attaches to it; while no agent is attached, cluster traffic is dropped
 * there rather than leaking to the default route. The data path lives in the agent: packets in
 * flight while it restarts are lost (the other backends keep forwarding).
 */
package io.jflannel.backend.udp;
