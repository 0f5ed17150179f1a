package io.jflannel.e2e;

import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * flannel's own flanneld for the interop tests: {@code -Djflannel.flanneld}, set by
 * ./scripts/interop.
 */
final class FlanneldBinary {
  private FlanneldBinary() {}

  /** The binary; fails with the command to run when it is not given. */
  static String path() {
    String bin = System.getProperty("jflannel.flanneld", "");
    if (bin.isEmpty() || !Files.isExecutable(Path.of(bin))) {
      throw new IllegalStateException(
          "no flanneld binary (-Djflannel.flanneld=" + bin + "): run ./scripts/interop");
    }
    return bin;
  }

  /** Starts flanneld as node {@code n}'s agent against the cluster's etcd, with {@code extra}. */
  static void start(Node n, String... extra) throws java.io.IOException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                path(),
                "--etcd-endpoints=" + NetnsCluster.ETCD,
                "--etcd-prefix=/coreos.com/network",
                "--iface=eth0",
                "--subnet-file=" + n.subnetFile()));
    cmd.addAll(List.of(extra));
    n.startCommand(cmd);
  }
}
