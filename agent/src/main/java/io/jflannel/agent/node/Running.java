package io.jflannel.agent.node;

import io.jflannel.agent.firewall.Firewall;
import io.jflannel.backend.Backend;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.ConfigChange;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.Ipv4Net;

/**
 * A node brought up for one config and subnet: its backend, the attributes it advertises, the peer
 * sync and the firewall. The offline start and the normal start make the same.
 *
 * @param config the network config in force
 * @param backend the started backend
 * @param attrs what our lease advertises
 * @param subnets our subnet (and our IPv6 subnet in a dual-stack network)
 * @param sync the peer sync
 * @param firewall our rules
 * @param env what subnet.env (and the CNI config) says of this node
 */
record Running(
    NetworkConfig config,
    Backend backend,
    LeaseAttrs attrs,
    SubnetKey subnets,
    PeerSync sync,
    Firewall firewall,
    SubnetEnv env)
    implements AutoCloseable {

  /** Our IPv4 subnet, or null in an IPv6-only network. */
  Ipv4Net subnet() {
    return subnets.ipv4();
  }

  /** True when this node can carry on as it is under {@code c} with {@code s}. */
  boolean serves(NetworkConfig c, SubnetKey s) {
    return subnets.equals(s) && ConfigChange.between(config, c).live();
  }

  /** Stops writing and closes the backend (kernel state stays). */
  @Override
  public void close() {
    sync.close();
    backend.close();
  }
}
