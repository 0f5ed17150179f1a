package io.jflannel.agent.cli;

import io.jflannel.lease.etcd.EtcdOptions;

/**
 * Everything jflanneld was told, in named parts: each part is built by its own flag group from the
 * command line and {@code FLANNELD_*} variables, and each component gets only the parts it reads
 * (the node never sees etcd's password).
 *
 * @param etcd how to reach etcd ({@link EtcdFlags})
 * @param iface the interface and the addresses advertised ({@link InterfaceFlags})
 * @param listeners health, metrics and admin listeners ({@link ListenerFlags})
 * @param node lease, state and node behaviour ({@link NodeFlags})
 * @param firewall masquerade and forward rules ({@link FirewallFlags})
 * @param cni the CNI config written for the runtime ({@link CniFlags})
 */
public record AgentOptions(
    EtcdOptions etcd,
    InterfaceOptions iface,
    ListenerOptions listeners,
    NodeOptions node,
    FirewallOptions firewall,
    CniOptions cni) {}
