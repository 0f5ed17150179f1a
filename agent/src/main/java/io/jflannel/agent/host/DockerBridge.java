package io.jflannel.agent.host;

import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import java.util.List;
import java.util.Optional;

/**
 * Docker's bridge against this node's subnet: dockerd started before jflanneld, or without {@code
 * --bip=$FLANNEL_SUBNET}, gives its containers addresses no other node routes to, silently. This
 * says so (the agent as a "docker" condition, {@code jflanctl docker-opts} on stderr).
 */
public final class DockerBridge {
  private DockerBridge() {}

  /** Null when {@code bridge} is absent or has this node's gateway address; else what is wrong. */
  public static String mismatch(String bridge, Ipv4Net subnet) {
    try (Netlink nl = Netlink.open()) {
      return mismatch(nl, bridge, subnet);
    } catch (RuntimeException e) {
      return null; // no netlink here (e.g. not Linux): nothing to say
    }
  }

  public static String mismatch(Netlink nl, String bridge, Ipv4Net subnet) {
    Optional<Link> l = nl.link(bridge);
    if (l.isEmpty()) {
      return null;
    }
    List<Address> addrs = nl.addresses(l.get().index());
    String want = subnet.addressAt(1) + "/" + subnet.prefixLength();
    if (addrs.isEmpty()
        || addrs.stream().anyMatch(a -> (a.address() + "/" + a.prefixLength()).equals(want))) {
      return null;
    }
    Address a = addrs.get(0);
    return bridge
        + " has "
        + a.address()
        + "/"
        + a.prefixLength()
        + ", not this node's "
        + want
        + ": dockerd runs without --bip=$FLANNEL_SUBNET (started before jflanneld, or without"
        + " the docker.service drop-in), so its containers cannot be reached from other nodes;"
        + " restart docker with the options of `jflanctl docker-opts`";
  }
}
