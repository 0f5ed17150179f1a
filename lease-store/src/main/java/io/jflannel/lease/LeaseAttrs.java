package io.jflannel.lease;

import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv6Address;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value of a lease key: what a node tells the others about itself. Field names and order on the
 * wire are flannel's ({@link LeaseJson}); fields we do not know are kept in {@link #extra} and
 * written back unchanged.
 *
 * @param publicIp the node's underlay address; 0.0.0.0 in an IPv6-only network (what flanneld
 *     writes for a node without one)
 * @param publicIpv6 flannel's PublicIPv6, kept as text (null when absent or null)
 * @param backendType {@code vxlan}, {@code host-gw}, {@code udp}, or null (flannel's udp writes
 *     none)
 * @param backendData backend specific JSON (vxlan: VNI and VtepMAC), or null
 * @param extra unknown fields in their original order
 * @param backendV6Data the backend's data for the IPv6 side of a dual-stack lease (vxlan: VNI and
 *     the VtepMAC of {@code flannel-v6.<vni>}), or null
 */
public record LeaseAttrs(
    Ipv4Address publicIp,
    String publicIpv6,
    String backendType,
    JrsValue backendData,
    Map<String, JrsValue> extra,
    JrsValue backendV6Data) {

  /** Attributes without IPv6 backend data. */
  public LeaseAttrs(
      Ipv4Address publicIp,
      String publicIpv6,
      String backendType,
      JrsValue backendData,
      Map<String, JrsValue> extra) {
    this(publicIp, publicIpv6, backendType, backendData, extra, null);
  }

  /**
   * JSON null read as absent; a copy of the unknown fields (jackson-jr's trees are not mutated).
   */
  public LeaseAttrs {
    if (publicIp == null) {
      throw new IllegalArgumentException("PublicIP missing");
    }
    backendData = Json.isNull(backendData) ? null : backendData;
    backendV6Data = Json.isNull(backendV6Data) ? null : backendV6Data;
    extra =
        extra == null || extra.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** Attributes with no backend data and no unknown fields. */
  public static LeaseAttrs of(Ipv4Address publicIp, String backendType, JrsValue backendData) {
    return new LeaseAttrs(publicIp, null, backendType, backendData, Map.of());
  }

  /** These attributes with an IPv6 side: the node's PublicIPv6 and the backend's v6 data. */
  public LeaseAttrs withIpv6(Ipv6Address publicIpv6, JrsValue v6Data) {
    return new LeaseAttrs(publicIp, publicIpv6.toString(), backendType, backendData, extra, v6Data);
  }

  /**
   * These attributes advertising other addresses (the node's interface changed its address): a null
   * argument keeps that family's. Backend data and unknown fields stay.
   */
  public LeaseAttrs withAddresses(Ipv4Address ip, Ipv6Address ipv6) {
    return new LeaseAttrs(
        ip == null ? publicIp : ip,
        ipv6 == null ? publicIpv6 : ipv6.toString(),
        backendType,
        backendData,
        extra,
        backendV6Data);
  }

  /**
   * PublicIPv6 as an address.
   *
   * @throws IllegalArgumentException naming the text when it is absent or not an IPv6 address
   */
  public Ipv6Address publicIpv6Address() {
    if (publicIpv6 == null) {
      throw new IllegalArgumentException("lease has no PublicIPv6");
    }
    return Ipv6Address.parse(publicIpv6);
  }

  /**
   * The address that names the node holding a lease: PublicIP, or PublicIPv6 when PublicIP is
   * 0.0.0.0 (an IPv6-only node); null when neither is set.
   */
  public String nodeAddress() {
    if (publicIp.value() != 0) {
      return publicIp.toString();
    }
    if (publicIpv6 == null) {
      return null;
    }
    try {
      return Ipv6Address.parse(publicIpv6).toString(); // one text per address
    } catch (IllegalArgumentException e) {
      return publicIpv6;
    }
  }

  /** True when both attributes name the same node ({@link #nodeAddress}). */
  public boolean sameNode(LeaseAttrs other) {
    if (other == null) {
      return false;
    }
    if (publicIp.value() != 0 || other.publicIp.value() != 0) {
      return publicIp.equals(other.publicIp); // no text: acquire compares every lease this way
    }
    String a = nodeAddress();
    return a != null && a.equals(other.nodeAddress());
  }

  /** The VtepMAC string of BackendData (a vxlan lease's), or null. */
  public String vtepMac() {
    return backendData == null ? null : Json.text(backendData.get("VtepMAC"));
  }

  /** The VtepMAC string of BackendV6Data (a dual-stack vxlan lease's), or null. */
  public String vtepMacV6() {
    return backendV6Data == null ? null : Json.text(backendV6Data.get("VtepMAC"));
  }

  /**
   * The type a lease without BackendType has: flannel's udp backend writes none (a fact of
   * flannel's lease format, not a choice of ours).
   */
  public static final String FLANNEL_UNTYPED = "udp";

  /** The backend type, reading a missing one as flannel's udp backend (which writes none). */
  public String effectiveBackendType() {
    return backendType == null || backendType.isEmpty() ? FLANNEL_UNTYPED : backendType;
  }

  /** These attributes with our own values, keeping unknown fields of {@code previous}. */
  public LeaseAttrs keepingUnknownFieldsOf(LeaseAttrs previous) {
    return new LeaseAttrs(
        publicIp, publicIpv6, backendType, backendData, previous.extra(), backendV6Data);
  }

  /** The flannel JSON form. */
  public String toJson() {
    return LeaseJson.write(this);
  }

  /**
   * Parses flannel's lease JSON.
   *
   * @throws IllegalArgumentException naming the problem when the value is not a lease
   */
  public static LeaseAttrs fromJson(String json) {
    return LeaseJson.read(json);
  }
}
