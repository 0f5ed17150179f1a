package io.jflannel.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changed between the network config a node runs with and the one now in etcd, and whether a
 * running node can take it: SubnetMin/SubnetMax only steer future allocations and are taken live;
 * anything else (Network, SubnetLen, the backend and its options) is refused while running, since
 * applying it would re-address or re-plumb the node under its pods.
 *
 * @param differences "Network 10.244.0.0/16 -> 10.50.0.0/16", one per field
 * @param live true when every difference can be taken while running
 * @param movesNode true when the node's subnet would no longer fit (Network or SubnetLen, of either
 *     family)
 */
public record ConfigChange(List<String> differences, boolean live, boolean movesNode) {

  /** The differences from {@code running} to {@code fresh}. */
  public static ConfigChange between(NetworkConfig running, NetworkConfig fresh) {
    List<String> d = new ArrayList<>();
    boolean live = true;
    boolean moves = false;
    if (!Objects.equals(running.network(), fresh.network())) {
      d.add("Network " + running.network() + " -> " + fresh.network());
      live = false;
      moves = true;
    }
    if (running.subnetLen() != fresh.subnetLen()) {
      d.add("SubnetLen " + running.subnetLen() + " -> " + fresh.subnetLen());
      live = false;
      moves = true;
    }
    if (!Objects.equals(running.subnetMin(), fresh.subnetMin())) {
      d.add("SubnetMin " + running.subnetMin() + " -> " + fresh.subnetMin());
    }
    if (!Objects.equals(running.subnetMax(), fresh.subnetMax())) {
      d.add("SubnetMax " + running.subnetMax() + " -> " + fresh.subnetMax());
    }
    Ipv6Config was6 = running.ipv6();
    Ipv6Config now6 = fresh.ipv6();
    if (!Objects.equals(was6, now6)) {
      d.add("IPv6 " + describe(was6) + " -> " + describe(now6));
      live = false;
      // turning IPv6 on or off keeps the node's subnets (a restart adds or drops the IPv6 one)
      moves |=
          was6 != null
              && now6 != null
              && (!was6.network().equals(now6.network()) || was6.subnetLen() != now6.subnetLen());
    }
    if (running.nftables() != fresh.nftables()) {
      d.add("EnableNFTables " + running.nftables() + " -> " + fresh.nftables());
      live = false; // the other mode's rules are removed at the next start
    }
    if (!running.backend().equals(fresh.backend())) {
      d.add(
          "Backend "
              + Json.write(running.backend().options())
              + " -> "
              + Json.write(fresh.backend().options()));
      live = false;
    }
    return new ConfigChange(List.copyOf(d), live, moves);
  }

  private static String describe(Ipv6Config c) {
    return c == null
        ? "off"
        : c.network() + " /" + c.subnetLen() + " [" + c.subnetMin() + ", " + c.subnetMax() + "]";
  }

  /** True when the two configs mean the same. */
  public boolean none() {
    return differences.isEmpty();
  }

  /** One line for logs and status. */
  public String describe() {
    return String.join("; ", differences);
  }
}
