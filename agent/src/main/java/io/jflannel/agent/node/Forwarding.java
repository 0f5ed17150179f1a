package io.jflannel.agent.node;

import io.jflannel.lease.NetworkConfig;
import io.jflannel.netlink.Sysctl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwarding of each enabled family: without it the node does not carry its pods' traffic. IPv4's
 * is set with --set-ip-forward; IPv6's only ever warned about (turning it on makes the kernel
 * ignore router advertisements on interfaces with accept_ra 1: the node could lose its SLAAC
 * default route).
 */
final class Forwarding {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

  private Forwarding() {}

  static void check(NetworkConfig config, boolean setIpForward) {
    try {
      if (config.ipv4() && !Sysctl.ipForwarding()) {
        if (setIpForward) {
          Sysctl.setIpForwarding(true);
          LOG.info("set net.ipv4.ip_forward=1");
        } else {
          LOG.warn(
              "net.ipv4.ip_forward is 0: this node will not forward container traffic (use"
                  + " --set-ip-forward; see docs/troubleshooting.md#ip-forward)");
        }
      }
      if (config.dualStack() && !"1".equals(Sysctl.get("net/ipv6/conf/all/forwarding"))) {
        LOG.warn(
            "net.ipv6.conf.all.forwarding is 0: this node will not forward its pods' IPv6 traffic"
                + " (set it, and accept_ra=2 on an interface that takes its route from router"
                + " advertisements)");
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot check forwarding: {}", e.getMessage());
    }
  }
}
