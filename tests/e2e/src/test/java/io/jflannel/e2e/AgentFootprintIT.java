package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the shipped launcher flags promise, on a running agent: the class-data archive the build
 * dumped is mapped and carries nearly every class the start path loads (else the recorded class
 * list is stale: ./scripts/cds-classlist), and the pools removed for footprint stay removed.
 */
class AgentFootprintIT {
  static NetnsCluster cluster;
  static Node node;
  static Path classLog;
  static Path classLogDir;
  static List<String> vertxCachesBefore;

  @BeforeAll
  static void boot() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    Path jsa = Node.archive(jar);
    assertThat(jsa)
        .as("the build dumps the class-data archive beside the agent jar (mvn package)")
        .isRegularFile();
    cluster =
        new NetnsCluster(
            1, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
    node = cluster.nodes().get(0);
    classLogDir = Files.createTempDirectory("jflannel-classes");
    classLog = classLogDir.resolve("classes.log");
    node.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
    vertxCachesBefore = vertxCaches();
    node.startAgent();
    node.awaitSubnetEnv(60_000);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.readString(node.log()).contains("ready:")) {
      assertThat(System.currentTimeMillis()).as("READY; log:\n" + node.tail()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void teardown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (classLogDir != null) {
      // -Xlog rotates an existing file to classes.log.0: remove the directory with everything in it
      try (var files = Files.list(classLogDir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(classLogDir);
    }
  }

  @Test
  void theArchiveCarriesNearlyEveryClassOfTheStartPath() throws Exception {
    List<String> loads =
        Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
    long shared = loads.stream().filter(l -> l.contains("source: shared objects file")).count();
    assertThat(loads.size()).as("classes loaded").isGreaterThan(3000);
    System.out.printf(
        "%d of %d classes loaded up to READY came from the archive%n", shared, loads.size());
    assertThat(shared * 100 / loads.size())
        .as(
            "%% of %d classes loaded up to READY that came from the archive (stale class list?"
                + " re-run ./scripts/cds-classlist)",
            loads.size())
        .isGreaterThanOrEqualTo(85);
  }

  @Test
  void jflanctlsArchiveCarriesNearlyEveryClassOfItsCommands() throws Exception {
    Path launcher = Path.of(System.getProperty("jflannel.root", "../..")).resolve("bin/jflanctl");
    for (List<String> command : cluster.archivedJflanctlCommands(node)) {
      Cmd.Result r =
          node.launcher(
              launcher,
              Map.of("JFLANCTL_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xlog:class+load=info"),
              command);
      assertThat(r.exit()).as(r.out()).isZero();
      List<String> loads = r.out().lines().filter(l -> l.contains(" source: ")).toList();
      long shared = loads.stream().filter(l -> l.contains("source: shared objects file")).count();
      assertThat(loads.size())
          .as("classes loaded by jflanctl " + command.get(0))
          .isGreaterThan(2000);
      System.out.printf(
          "%d of %d classes jflanctl %s loaded came from its archive%n",
          shared, loads.size(), command.get(0));
      assertThat(shared * 100 / loads.size())
          .as(
              "%% of %d classes jflanctl %s loaded that came from its archive (stale class list?"
                  + " re-run ./scripts/cds-classlist)",
              loads.size(), command.get(0))
          .isGreaterThanOrEqualTo(85);
    }
  }

  @Test
  void nettysBufferPoolsAllocateWithoutTouchingWholeChunks() throws Exception {
    // a pool chunk (4 MiB) made by ByteBuffer.allocateDirect is zeroed, every page resident, and
    // counted in the JDK's direct buffer pool; bin/jflanneld has Netty allocate it untouched and
    // count it itself
    String metrics = "";
    long deadline = System.currentTimeMillis() + 15_000;
    while (!metrics.contains("jflannel_netty_direct_memory_used_bytes ")) {
      assertThat(System.currentTimeMillis()).as("runtime metrics registered").isLessThan(deadline);
      Thread.sleep(200);
      metrics = Cmd.in(node.ns(), "curl", "-sf", "http://127.0.0.1:8471/metrics");
    }
    assertThat(sample(metrics, "jflannel_netty_direct_memory_used_bytes "))
        .as("direct memory Netty's pools hold, counted by Netty (-1: allocated with a cleaner)")
        .isGreaterThan(0);
    assertThat(sample(metrics, "jvm_buffer_pool_used_bytes{pool=\"direct\"} "))
        .as("the JDK's direct buffers: no 4 MiB pool chunk among them")
        .isLessThan(4 << 20);
  }

  private static double sample(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> Double.parseDouble(l.substring(prefix.length()).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "in /metrics:\n" + metrics));
  }

  @Test
  void noPoolRemovedForFootprintComesBack() throws Exception {
    List<String> threads = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/" + node.agent().pid() + "/task"))) {
      for (Path t : tasks.toList()) {
        threads.add(Files.readString(t.resolve("comm")).strip());
      }
    }
    assertThat(threads)
        .as("thread names (15 characters at most in /proc)")
        .contains("jflannel-io", "C1 CompilerThre")
        .doesNotContain(
            "C2 CompilerThre", // C1 only
            "prometheus-metr", // no exemplars, no native histogram resets
            "HTTP-Dispatcher", // /healthz, /readyz and /metrics on the agent's event loop
            "jflannel-admin",
            "jflannel-http");
  }

  @Test
  void theArchiveIsMappedWhereItWasDumped() throws Exception {
    String pid = Long.toString(node.agent().pid());
    List<String> maps = Files.readAllLines(Path.of("/proc/" + pid + "/smaps")).stream().toList();
    int at = -1;
    for (int i = 0; i < maps.size(); i++) {
      if (maps.get(i).endsWith(".jsa") && maps.get(i).contains(" r") && at < 0) {
        at = i;
      }
    }
    assertThat(at).as("the agent maps its class-data archive").isNotNegative();
    assertThat(maps.get(at))
        .as("mapped at the base address it was dumped for, not relocated")
        .startsWith("800000000-");
  }

  @Test
  void noTemporaryDirectoryIsMadeThatAKilledAgentWouldLeaveBehind() throws Exception {
    assertThat(vertxCaches())
        .as("/tmp/vertx-cache-* made by jetcd's Vert.x (left behind by every killed agent)")
        .isEqualTo(vertxCachesBefore);
  }

  private static List<String> vertxCaches() throws java.io.IOException {
    try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return dirs.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("vertx-cache-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void theShippedFlagsDrawNoWarningFromTheJvm() throws Exception {
    // e.g. "[warning][gc,ergo] NewSize was set larger than initial heap size" for -Xmn above -Xms
    assertThat(Files.readString(node.log()))
        .doesNotContain("[warning]")
        .doesNotContain("OpenJDK 64-Bit Server VM warning");
  }
}
