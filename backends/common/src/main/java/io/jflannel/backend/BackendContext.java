package io.jflannel.backend;

import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.netlink.Netlink;
import java.nio.file.Path;

/**
 * What a backend gets to work with.
 *
 * @param netlink the kernel
 * @param ext the external interface
 * @param config the network config
 * @param stateDir where to keep state across restarts (e.g. the VTEP MAC)
 */
public record BackendContext(
    Netlink netlink, ExternalInterface ext, NetworkConfig config, Path stateDir) {

  /**
   * The lease's PublicIP: the interface's, or 0.0.0.0 in an IPv6-only network (flanneld's value
   * there; the node is known by its PublicIPv6).
   */
  public Ipv4Address leasePublicIp() {
    return config.ipv4() ? ext.publicIp() : new Ipv4Address(0);
  }
}
