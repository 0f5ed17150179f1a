package io.jflannel.backend;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Link;

/**
 * The node's underlay interface.
 *
 * @param link the device
 * @param address its IPv4 address
 * @param network the on-link network of that address
 * @param publicIp the address advertised to peers (the address, unless overridden)
 */
public record ExternalInterface(
    Link link, Ipv4Address address, Ipv4Net network, Ipv4Address publicIp) {}
