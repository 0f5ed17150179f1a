package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records the classes jflanneld loads on its way to READY and through its first loops, and those
 * jflanctl loads for its commands ({@code ./scripts/cds-classlist}): one agent of a two-node vxlan
 * cluster runs with {@code -XX:DumpLoadedClassList}, its admin API, /metrics and /readyz are used,
 * then it stops with SIGTERM; bin/jflanctl runs {@code leases} (etcd) and {@code status} (the admin
 * socket) the same way. The merged list (deploy/cds/jflannel.classlist: the agent's classes first,
 * then the few only jflanctl loads) is what the build turns into the one class-data archive both
 * launchers map at start; classes missing from it merely load the ordinary way.
 *
 * <p>Arguments: agent jar, output file, bin/jflanctl.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path list = Files.createTempFile("jflanneld", ".classlist");
    List<Path> lists = new ArrayList<>(List.of(list));
    String config = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
    try (NetnsCluster c = new NetnsCluster(2, jar, config)) {
      Node peer = c.nodes().get(1);
      peer.startAgent();
      Node n = c.nodes().get(0);
      n.environment().put("JAVA_TOOL_OPTIONS", "-XX:DumpLoadedClassList=" + list);
      n.startAgent();
      n.awaitSubnetEnv(60_000);
      EventTimes.awaitLog(n, "ready:", 60_000);
      peer.awaitSubnetEnv(60_000);
      Thread.sleep(5000); // reconcile and iptables loops run (every 2 s here), the peer arrives
      for (String path : List.of("/metrics", "/healthz", "/readyz")) {
        Cmd.in(n.ns(), "curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:8471" + path);
      }
      for (String cmd : List.of("status", "peers", "reconcile")) {
        n.jflanctl(cmd);
      }
      for (List<String> cmd : c.archivedJflanctlCommands(n)) {
        lists.add(jflanctl(Path.of(args[2]), n, cmd));
      }
      n.stopAgent(false);
    }
    List<List<String>> recorded = new ArrayList<>();
    for (Path p : lists) {
      List<String> lines = Files.readAllLines(p);
      Files.delete(p);
      if (lines.size() < 1000) {
        throw new IllegalStateException("only " + lines.size() + " classes recorded in a run");
      }
      recorded.add(lines);
    }
    List<String> merged = ClassLists.merge(recorded);
    Path out = Path.of(args[1]).toAbsolutePath();
    Files.write(out, merged);
    System.out.printf(
        "recorded %d entries into %s (%d of them from jflanctl's runs only)%n",
        merged.size(), out, merged.size() - ClassLists.merge(recorded.subList(0, 1)).size());
    System.exit(0);
  }

  /** Runs bin/jflanctl {@code cmd} in {@code n}'s namespace without an archive, recording. */
  private static Path jflanctl(Path launcher, Node n, List<String> cmd) throws Exception {
    Path list = Files.createTempFile("jflanctl", ".classlist");
    Cmd.Result r =
        n.launcher(
            launcher,
            Map.of(
                "JFLANCTL_CDS",
                "off",
                "JFLANCTL_JAVA_OPTS",
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:DumpLoadedClassList=" + list),
            cmd);
    if (r.exit() != 0) {
      throw new IllegalStateException("jflanctl " + cmd + " failed: " + r.out());
    }
    return list;
  }
}
