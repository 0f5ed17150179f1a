/**
 * vxlan: the kernel's VXLAN device.
 *
 * <p>Packet path: a container on node A sends to 10.244.3.5; node A's route {@code 10.244.3.0/24
 * via 10.244.3.0 dev flannel.1 onlink} hands it to flannel.1; the permanent neighbour {@code
 * 10.244.3.0 lladdr <B's VtepMAC>} gives the inner destination MAC without ARP; the FDB entry
 * {@code <B's VtepMAC> dst <B's PublicIP> self permanent} tells the device where to send the UDP
 * (port 8472) datagram; node B's flannel.1 decapsulates, and B routes it to its cni0.
 *
 * <p>Kernel objects: device {@code flannel.<VNI>} (id VNI, dstport, local PublicIP, dev ext,
 * nolearning, MTU ext−50, our VtepMAC kept stable in the state dir), address {@code <own
 * subnet>.0/32}; per peer a neighbour, an FDB entry and a route, removed in reverse. With
 * DirectRouting, peers on the same L2 network get a host-gw route instead.
 *
 * <p>Dual-stack ({@code EnableIPv6}): a second device {@code flannel-v6.<VNI>} (local: the external
 * interface's IPv6 address, its own VtepMAC advertised in BackendV6Data, MTU ext−70: VXLAN over
 * IPv6 adds 20 bytes more than over IPv4, where flanneld gives it ext−50 and leaves the rest to
 * path MTU discovery), address {@code <own IPv6 subnet>/128}, and per dual-stack peer the same
 * three objects toward its IPv6 subnet and PublicIPv6. DirectRouting applies to IPv4 only.
 */
package io.jflannel.backend.vxlan;
