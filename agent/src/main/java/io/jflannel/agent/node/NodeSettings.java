package io.jflannel.agent.node;

import io.jflannel.agent.cli.FirewallOptions;
import io.jflannel.agent.cli.InterfaceOptions;
import io.jflannel.agent.cli.NodeOptions;
import io.jflannel.agent.host.CniConfig;

/**
 * The parts of jflanneld's options a node reads (no etcd credentials, no listeners).
 *
 * @param node lease, state and node behaviour
 * @param iface how the interface is picked (the node looks again when its addresses change)
 * @param firewall masquerade and forward rules
 * @param cni the CNI config to write once the lease is held
 */
public record NodeSettings(
    NodeOptions node, InterfaceOptions iface, FirewallOptions firewall, CniConfig cni) {}
