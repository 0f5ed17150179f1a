package io.jflannel.bench;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Records the classes jflanneld loads on its way to READY and through its first loops ({@code
 * ./scripts/cds-classlist}): one agent of a two-node vxlan cluster runs with {@code
 * -XX:DumpLoadedClassList}, its admin API, /metrics and /readyz are used, then it stops with
 * SIGTERM. The list (deploy/cds/jflanneld.classlist) is what the build turns into the class-data
 * archive the launcher maps at start; classes missing from it merely load the ordinary way.
 *
 * <p>Arguments: agent jar, output file.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path out = Path.of(args[1]).toAbsolutePath();
    Path list = Files.createTempFile("jflanneld", ".classlist");
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
      n.stopAgent(false);
    }
    List<String> lines = Files.readAllLines(list);
    Files.delete(list);
    if (lines.size() < 1000) {
      throw new IllegalStateException("only " + lines.size() + " classes recorded");
    }
    Files.write(out, lines);
    System.out.println("recorded " + lines.size() + " classes into " + out);
    System.exit(0);
  }
}
