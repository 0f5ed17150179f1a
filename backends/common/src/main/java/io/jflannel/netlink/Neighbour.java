package io.jflannel.netlink;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.MacAddress;

/**
 * An IPv4 neighbour (ARP) entry.
 *
 * @param ifindex the device
 * @param address the neighbour's IP
 * @param mac its link-layer address (null when incomplete)
 * @param state NUD_* state ({@link #NUD_PERMANENT} for ours)
 */
public record Neighbour(int ifindex, Ipv4Address address, MacAddress mac, int state) {
  /** NUD_PERMANENT. */
  public static final int NUD_PERMANENT = 0x80;

  /** A permanent entry. */
  public static Neighbour permanent(int ifindex, Ipv4Address address, MacAddress mac) {
    return new Neighbour(ifindex, address, mac, NUD_PERMANENT);
  }
}
