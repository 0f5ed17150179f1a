package io.jflannel.netlink;

import io.jflannel.net.MacAddress;

/**
 * A device to create: a name, a kind and its parameters. Build with the static factories.
 *
 * @param name interface name (at most 15 bytes)
 * @param kind {@code vxlan}, {@code bridge}, {@code veth}, {@code dummy}
 * @param mtu MTU, or 0 for the kernel's default
 * @param mac hardware address, or null for a random one
 * @param vxlan VXLAN parameters when kind is vxlan
 * @param peerName the other end's name when kind is veth
 */
public record LinkSpec(
    String name, String kind, int mtu, MacAddress mac, VxlanInfo vxlan, String peerName) {

  /** Validates the name. */
  public LinkSpec {
    if (name == null
        || name.isEmpty()
        || name.length() > 15
        || name.contains("/")
        || name.contains(" ")) {
      throw new IllegalArgumentException(
          "invalid interface name \"" + name + "\" (1-15 characters, no '/' or space)");
    }
  }

  /** A VXLAN device. */
  public static LinkSpec vxlan(String name, VxlanInfo info, int mtu, MacAddress mac) {
    return new LinkSpec(name, "vxlan", mtu, mac, info, null);
  }

  /** A bridge. */
  public static LinkSpec bridge(String name) {
    return new LinkSpec(name, "bridge", 0, null, null, null);
  }

  /** A veth pair. */
  public static LinkSpec veth(String name, String peerName) {
    return new LinkSpec(name, "veth", 0, null, null, peerName);
  }

  /** A dummy device. */
  public static LinkSpec dummy(String name) {
    return new LinkSpec(name, "dummy", 0, null, null, null);
  }
}
