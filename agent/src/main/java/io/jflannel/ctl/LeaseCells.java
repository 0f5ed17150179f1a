package io.jflannel.ctl;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.IpNet;

/**
 * A lease's table cells, one value per family it has: {@code v4}, {@code v6} (IPv6-only) or {@code
 * v4,v6} (dual-stack); {@code -} for nothing.
 */
final class LeaseCells {
  private LeaseCells() {}

  /** Its subnets. */
  static String subnets(Lease l) {
    return l.key().commaSeparated();
  }

  /** PublicIP of an IPv4 lease, PublicIPv6 of an IPv6 one, both of a dual-stack one. */
  static String publicIps(Lease l) {
    LeaseAttrs a = l.attrs();
    if (a == null) {
      return "-";
    }
    return join(
        l.subnet() == null ? null : a.publicIp().toString(),
        l.ipv6Subnet() == null ? null : a.publicIpv6());
  }

  /** VtepMAC of BackendData and of BackendV6Data. */
  static String vtepMacs(Lease l) {
    LeaseAttrs a = l.attrs();
    return a == null ? "-" : join(a.vtepMac(), a.vtepMacV6());
  }

  /** True when {@code l} leases {@code subnet} (of either family). */
  static boolean holds(Lease l, IpNet subnet) {
    return subnet.equals(l.subnet()) || subnet.equals(l.ipv6Subnet());
  }

  /** One cell of two families' values, either of which may be absent (null or empty). */
  static String join(String v4, String v6) {
    boolean has4 = v4 != null && !v4.isEmpty();
    boolean has6 = v6 != null && !v6.isEmpty();
    if (has4 && has6) {
      return v4 + "," + v6;
    }
    return has4 ? v4 : has6 ? v6 : "-";
  }
}
