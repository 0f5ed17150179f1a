package io.jflannel.agent.cli;

import java.nio.file.Path;

/**
 * The CNI network config the agent writes for the container runtime ({@code --cni-*}).
 *
 * @param confDir {@code --cni-conf-dir}, or null: write none
 * @param confName {@code --cni-conf-name}: the file's name
 * @param mode what to write
 * @param network {@code --cni-network}: the CNI network's name
 * @param bridge {@code --cni-bridge}: the bridge pods are attached to
 * @param ipamDataDir {@code --cni-ipam-data-dir}: host-local's dataDir, or null (its own)
 */
public record CniOptions(
    Path confDir, String confName, Mode mode, String network, String bridge, Path ipamDataDir) {

  /** What the config delegates to. */
  public enum Mode {
    /** The standard bridge, host-local and portmap plugins: no flannel plugin needed. */
    BRIDGE,
    /** flannel's own conflist ({@code "type": "flannel"}), for nodes that have its plugin. */
    FLANNEL,
    /** None. */
    OFF
  }
}
