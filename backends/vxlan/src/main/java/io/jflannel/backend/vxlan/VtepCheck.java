package io.jflannel.backend.vxlan;

import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.net.MacAddress;

/** What a peer's vxlan BackendData must hold before it gets a neighbour and an FDB entry. */
final class VtepCheck {
  private VtepCheck() {}

  /**
   * The peer's VTEP MAC.
   *
   * @throws IllegalArgumentException with the reason when the data is missing, the MAC is not a
   *     unicast address, it is ours, or the VNI is not this network's
   */
  static MacAddress peerMac(Lease peer, int vni, MacAddress ours) {
    return peerMac(peer.attrs().backendData(), "BackendData", vni, ours);
  }

  /** The VTEP MAC of {@code data}, the lease's field {@code field} (BackendV6Data for IPv6). */
  static MacAddress peerMac(JrsValue data, String field, int vni, MacAddress ours) {
    JrsValue mac = data == null ? null : data.get("VtepMAC");
    if (Json.isNull(mac)) {
      throw new IllegalArgumentException("vxlan lease without " + field + ".VtepMAC");
    }
    MacAddress m;
    try {
      String text = Json.text(mac);
      m = MacAddress.parse(text != null ? text : Json.write(mac));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ".VtepMAC: " + e.getMessage(), e);
    }
    if ((m.bytes()[0] & 1) != 0 || m.equals(new MacAddress(new byte[6]))) {
      throw new IllegalArgumentException("VtepMAC " + m + " is not a unicast MAC");
    }
    if (m.equals(ours)) {
      throw new IllegalArgumentException("VtepMAC " + m + " is this node's own");
    }
    JrsValue v = data.get("VNI");
    if (!Json.isNull(v) && Json.intValue(v, -1) != vni) {
      throw new IllegalArgumentException("VNI " + Json.write(v) + " is not this network's " + vni);
    }
    return m;
  }
}
