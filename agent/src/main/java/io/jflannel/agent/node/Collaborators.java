package io.jflannel.agent.node;

import io.jflannel.agent.firewall.Firewall;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.netlink.Netlink;
import java.util.function.LongSupplier;

/**
 * What a {@link Node} works with: the real kernel, etcd, iptables and clock in the agent; {@code
 * RecordingNetlink}, {@code InMemoryLeaseRegistry}, {@code RecordingFirewall} and a test clock in
 * unit tests.
 *
 * @param netlink the kernel
 * @param registry the lease registry (etcd)
 * @param firewalls makes the node's firewall for its rules
 * @param clockMs wall clock in milliseconds
 * @param ext the external interface
 */
public record Collaborators(
    Netlink netlink,
    LeaseRegistry registry,
    Firewall.Factory firewalls,
    LongSupplier clockMs,
    ExternalInterface ext) {

  /** The same on another interface (its address changed). */
  public Collaborators withExt(ExternalInterface e) {
    return new Collaborators(netlink, registry, firewalls, clockMs, e);
  }
}
