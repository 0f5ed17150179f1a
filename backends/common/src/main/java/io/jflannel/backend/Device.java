package io.jflannel.backend;

import io.jflannel.net.MacAddress;
import io.jflannel.netlink.KernelObject;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.VxlanInfo;
import java.util.function.IntFunction;

/**
 * A device a backend owns, as far as the agent keeps it in shape: kind, MTU, up, MAC and VXLAN
 * parameters. Compared with {@link #of(Link)} of the kernel's link; the device's name is its key.
 *
 * @param name interface name ({@code flannel.1}, {@code flannel0})
 * @param kind {@code vxlan} or {@code tun}
 * @param mtu MTU
 * @param up administratively up
 * @param mac hardware address, or null when the device has none or it does not matter
 * @param vxlan VXLAN parameters, or null
 */
public record Device(String name, String kind, int mtu, boolean up, MacAddress mac, VxlanInfo vxlan)
    implements KernelObject {

  /** The kernel's link in the same terms (its MAC only when {@code withMac}). */
  public static Device of(Link l, boolean withMac) {
    return new Device(l.name(), l.kind(), l.mtu(), l.isUp(), withMac ? l.mac() : null, l.vxlan());
  }

  /**
   * True when only settings that can be changed in place differ (MTU, up, MAC); false when the
   * device must be deleted and created again (kind or VXLAN parameters).
   */
  public boolean adjustableTo(Device want) {
    return java.util.Objects.equals(kind, want.kind) && java.util.Objects.equals(vxlan, want.vxlan);
  }

  @Override
  public String key() {
    return name;
  }

  @Override
  public String type() {
    return "device";
  }

  @Override
  public String describe(IntFunction<String> dev) {
    StringBuilder b = new StringBuilder(name).append(' ').append(kind);
    if (vxlan != null) {
      b.append(" id ").append(vxlan.vni());
      if (vxlan.local() != null) {
        b.append(" local ").append(vxlan.local());
      }
      if (vxlan.underlayIndex() != 0) {
        b.append(" dev ").append(dev.apply(vxlan.underlayIndex()));
      }
      b.append(" dstport ")
          .append(vxlan.port())
          .append(vxlan.learning() ? " learning" : " nolearning");
    }
    b.append(" mtu ").append(mtu).append(up ? " up" : " down");
    if (mac != null) {
      b.append(" address ").append(mac);
    }
    return b.toString();
  }
}
