package io.jflannel.backend;

import io.jflannel.lease.NetworkConfig;
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
    Netlink netlink, ExternalInterface ext, NetworkConfig config, Path stateDir) {}
