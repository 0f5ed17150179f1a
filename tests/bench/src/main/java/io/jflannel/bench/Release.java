package io.jflannel.bench;

import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A release as shipped, for {@link FootprintBench}: its tree (bin/jflanneld, bin/jflanctl and
 * agent/target's shaded jar) and the flags it needs beyond the common ones.
 *
 * @param name what the table calls it
 * @param tree the release's top directory
 * @param extraFlags flags only this release knows (e.g. keeping the CNI config in the node's dir)
 */
record Release(String name, Path tree, List<String> extraFlags) {
  Path jar() {
    return tree.resolve("agent/target/jflannel-agent-0.1.0-SNAPSHOT-all.jar");
  }

  /** Starts the release's bin/jflanneld on {@code n} with the common flags and its own. */
  void start(NetnsCluster c, Node n) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tree.resolve("bin/jflanneld").toString());
    cmd.add("--etcd-endpoints=" + c.etcdEndpoints());
    cmd.add("--etcd-prefix=" + c.etcdPrefix());
    cmd.add("--iface=eth0");
    cmd.add("--ip-masq=true");
    cmd.add("--subnet-file=" + n.subnetFile());
    cmd.add("--state-dir=" + n.dir().resolve("state"));
    cmd.add("--admin-socket=" + n.adminSocket());
    for (String f : extraFlags) {
      cmd.add(f.replace("{dir}", n.dir().toString()));
    }
    n.startCommand(cmd);
  }

  /** The release's bin/jflanctl reading the cluster's etcd from {@code n}'s namespace. */
  List<String> jflanctl(NetnsCluster c, Node n, String subcommand) {
    return List.of(
        "ip",
        "netns",
        "exec",
        n.ns(),
        tree.resolve("bin/jflanctl").toString(),
        subcommand,
        "--etcd-endpoints=" + c.etcdEndpoints(),
        "--etcd-prefix=" + c.etcdPrefix());
  }
}
