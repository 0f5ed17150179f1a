package io.jflannel.netlink;

import io.jflannel.net.IpAddress;
import io.jflannel.net.MacAddress;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A bridge forwarding entry on a VXLAN device ({@code AF_BRIDGE}, {@code NTF_SELF}, permanent):
 * frames for {@code mac} are encapsulated to {@code destination}.
 *
 * @param ifindex the VXLAN device
 * @param mac the remote VTEP's MAC
 * @param destination the remote VTEP's underlay address (IPv6 on an IPv6 VXLAN device)
 */
public record FdbEntry(int ifindex, MacAddress mac, IpAddress destination)
    implements NetlinkObject {

  // equals and hashCode written out: see Ipv4Address

  @Override
  public boolean equals(Object o) {
    return o instanceof FdbEntry f
        && f.ifindex == ifindex
        && Objects.equals(f.mac, mac)
        && Objects.equals(f.destination, destination);
  }

  @Override
  public int hashCode() {
    return (ifindex * 31 + Objects.hashCode(mac)) * 31 + Objects.hashCode(destination);
  }

  /**
   * Itself: every field names the slot (a VXLAN device may send one MAC to several destinations),
   * as with {@link Address}.
   */
  @Override
  public FdbEntry key() {
    return this;
  }

  @Override
  public String type() {
    return "fdb";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    return mac + " dev " + dev.apply(ifindex) + " dst " + destination + " self permanent";
  }
}
