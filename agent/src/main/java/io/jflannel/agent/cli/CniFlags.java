package io.jflannel.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The CNI flags of jflanneld. */
public final class CniFlags {
  @Option(
      names = "--cni-conf-dir",
      description =
          "where to write the CNI network config once the lease is held, e.g. /etc/cni/net.d"
              + " (the DaemonSet passes it); default: write none, as flanneld on a bare host",
      defaultValue = "")
  String cniConfDir;

  @Option(
      names = "--cni-conf-name",
      description = "file name of the CNI config (default: ${DEFAULT-VALUE})",
      defaultValue = "10-jflannel.conflist")
  String cniConfName;

  @Option(
      names = "--cni-mode",
      description =
          "bridge: delegate to the standard bridge, host-local and portmap plugins (no flannel plugin"
              + " needed); flannel: flannel's conflist of \"type\": \"flannel\" (for nodes that have"
              + " its plugin); off (default: ${DEFAULT-VALUE})",
      defaultValue = "bridge")
  String cniMode;

  @Option(
      names = "--cni-network",
      description = "the CNI network's name (default: ${DEFAULT-VALUE}, flannel's)",
      defaultValue = "cbr0")
  String cniNetwork;

  @Option(
      names = "--cni-bridge",
      description = "the bridge the pods are attached to (default: ${DEFAULT-VALUE})",
      defaultValue = "cni0")
  String cniBridge;

  @Option(
      names = "--cni-ipam-data-dir",
      description = "host-local's dataDir (default: host-local's own, /var/lib/cni/networks)")
  Path cniIpamDataDir;

  /**
   * The options these flags give.
   *
   * @throws IllegalArgumentException naming the flag whose value is wrong
   */
  public CniOptions options() {
    CniOptions.Mode mode;
    try {
      mode = CniOptions.Mode.valueOf(cniMode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--cni-mode " + cniMode + ": choose bridge, flannel or off");
    }
    if (!cniBridge.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("--cni-bridge " + cniBridge + " is not an interface name");
    }
    return new CniOptions(
        cniConfDir == null || cniConfDir.isEmpty() ? null : Path.of(cniConfDir),
        cniConfName,
        mode,
        cniNetwork,
        cniBridge,
        cniIpamDataDir);
  }
}
