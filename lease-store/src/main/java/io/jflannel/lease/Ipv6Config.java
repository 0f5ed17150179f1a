package io.jflannel.lease;

import io.jflannel.net.Ipv6Net;
import java.math.BigInteger;

/**
 * The IPv6 half of a dual-stack network config ({@code "EnableIPv6": true}), validated and
 * defaulted with flanneld's rules.
 *
 * @param network {@code IPv6Network}, e.g. fc00::/48
 * @param subnetLen {@code IPv6SubnetLen}: 64 by default (network prefix + 2 for a network smaller
 *     than a /62)
 * @param subnetMin the first subnet that may be leased (by default the network's second)
 * @param subnetMax the last subnet that may be leased (by default the network's last)
 */
public record Ipv6Config(Ipv6Net network, int subnetLen, Ipv6Net subnetMin, Ipv6Net subnetMax) {

  /** True when {@code subnet} is a subnet this config can lease: right size, within [min, max]. */
  public boolean fits(Ipv6Net subnet) {
    return subnet.prefixLength() == subnetLen
        && network.contains(subnet)
        && subnet.compareTo(subnetMin) >= 0
        && subnet.compareTo(subnetMax) <= 0;
  }

  /** Number of subnets in [min, max] (a BigInteger: a /48 holds 65 536 /64s, a /32 4 billion). */
  public BigInteger subnetCount() {
    BigInteger span =
        subnetMax.address().toBigInteger().subtract(subnetMin.address().toBigInteger());
    return span.shiftRight(128 - subnetLen).add(BigInteger.ONE);
  }

  /** The n-th subnet from {@code subnetMin}. */
  public Ipv6Net subnetAt(BigInteger n) {
    return new Ipv6Net(subnetMin.addressAt(n.shiftLeft(128 - subnetLen)), subnetLen);
  }
}
