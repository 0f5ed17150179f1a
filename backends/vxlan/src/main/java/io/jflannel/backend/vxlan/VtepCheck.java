package io.jflannel.backend.vxlan;

import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.backend.BadLeaseException;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.MacAddress;

/** What a peer's vxlan BackendData must hold before it gets a neighbour and an FDB entry. */
final class VtepCheck {
  private VtepCheck() {}

  /**
   * The cluster-wide check of a lease's vxlan data (no node's own MAC): BackendData of a lease with
   * an IPv4 subnet, BackendV6Data of one with an IPv6 subnet in a dual-stack network.
   *
   * @return why no node can use the lease, or null
   */
  static String problem(NetworkConfig config, Lease lease) {
    if (lease.attrs() == null) {
      return null; // the validator says so first
    }
    int vni = VxlanBackendFactory.vni(config);
    try {
      if (config.ipv4() && lease.subnet() != null) {
        peerMac(lease.attrs().backendData(), "BackendData", vni, null);
      }
      if (config.dualStack() && lease.ipv6Subnet() != null) {
        peerMac(lease.attrs().backendV6Data(), "BackendV6Data", vni, null);
      }
      return null;
    } catch (BadLeaseException e) {
      return e.getMessage();
    }
  }

  /**
   * The peer's VTEP MAC.
   *
   * @throws BadLeaseException with the reason when the data is missing, the MAC is not a unicast
   *     address, it is ours, or the VNI is not this network's
   */
  static MacAddress peerMac(Lease peer, int vni, MacAddress ours) throws BadLeaseException {
    return peerMac(peer.attrs().backendData(), "BackendData", vni, ours);
  }

  /**
   * The VTEP MAC of {@code data}, the lease's field {@code field} (BackendV6Data for IPv6); {@code
   * ours} null checks no node's own MAC.
   */
  static MacAddress peerMac(JrsValue data, String field, int vni, MacAddress ours)
      throws BadLeaseException {
    JrsValue mac = data == null ? null : data.get("VtepMAC");
    if (Json.isNull(mac)) {
      throw new BadLeaseException("vxlan lease without " + field + ".VtepMAC");
    }
    MacAddress m;
    try {
      String text = Json.text(mac);
      m = MacAddress.parse(text != null ? text : Json.write(mac));
    } catch (IllegalArgumentException e) {
      throw new BadLeaseException(field + ".VtepMAC: " + e.getMessage(), e);
    }
    if ((m.bytes()[0] & 1) != 0 || m.equals(new MacAddress(new byte[6]))) {
      throw new BadLeaseException(field + ".VtepMAC " + m + " is not a unicast MAC");
    }
    if (m.equals(ours)) {
      throw new BadLeaseException(field + ".VtepMAC " + m + " is this node's own");
    }
    JrsValue v = data.get("VNI");
    if (!Json.isNull(v) && Json.intValue(v, -1) != vni) {
      throw new BadLeaseException(
          field + ".VNI " + Json.write(v) + " is not this network's " + vni);
    }
    return m;
  }
}
