package io.jflannel.netlink;

import io.jflannel.net.IpAddress;
import io.jflannel.net.MacAddress;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A neighbour entry: ARP for an IPv4 address, NDP for an IPv6 one.
 *
 * @param ifindex the device
 * @param address the neighbour's IP
 * @param mac its link-layer address (null when incomplete)
 * @param state NUD_* state ({@link #NUD_PERMANENT} for ours)
 */
public record Neighbour(int ifindex, IpAddress address, MacAddress mac, int state)
    implements NetlinkObject {
  /** NUD_PERMANENT. */
  public static final int NUD_PERMANENT = 0x80;

  /** The slot of a neighbour entry: one per device and address. */
  public record Key(int ifindex, IpAddress address) {
    // equals and hashCode written out: see Ipv4Address

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.ifindex == ifindex && Objects.equals(k.address, address);
    }

    @Override
    public int hashCode() {
      return ifindex * 31 + Objects.hashCode(address);
    }
  }

  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof Neighbour n
        && n.ifindex == ifindex
        && n.state == state
        && Objects.equals(n.address, address)
        && Objects.equals(n.mac, mac);
  }

  @Override
  public int hashCode() {
    return ((ifindex * 31 + Objects.hashCode(address)) * 31 + Objects.hashCode(mac)) * 31 + state;
  }

  /** A permanent entry. */
  public static Neighbour permanent(int ifindex, IpAddress address, MacAddress mac) {
    return new Neighbour(ifindex, address, mac, NUD_PERMANENT);
  }

  @Override
  public Key key() {
    return new Key(ifindex, address);
  }

  @Override
  public String type() {
    return "neighbour";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    return address
        + " lladdr "
        + mac
        + " dev "
        + dev.apply(ifindex)
        + (state == NUD_PERMANENT ? " nud permanent" : "");
  }
}
