package io.jflannel.netlink;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.MacAddress;

/**
 * A bridge forwarding entry on a VXLAN device ({@code AF_BRIDGE}, {@code NTF_SELF}, permanent):
 * frames for {@code mac} are encapsulated to {@code destination}.
 *
 * @param ifindex the VXLAN device
 * @param mac the remote VTEP's MAC
 * @param destination the remote VTEP's underlay address
 */
public record FdbEntry(int ifindex, MacAddress mac, Ipv4Address destination) {}
