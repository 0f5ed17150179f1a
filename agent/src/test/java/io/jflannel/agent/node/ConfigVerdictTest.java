package io.jflannel.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.ctl.Jflanctl;
import io.jflannel.lease.memory.InMemoryLeaseRegistry;
import io.jflannel.netlink.RecordingNetlink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jflanctl config validate} and the agent's start give the same verdict on every config of
 * the corpus (agent/src/test/resources/config-corpus.txt and flannel's own examples): the agent
 * refuses a config with the very problems jflanctl prints, and takes (gets past the config and
 * backend checks to a lease) every config jflanctl calls valid.
 */
class ConfigVerdictTest {
  @TempDir Path dir;

  static Stream<String> corpus() throws Exception {
    List<String> out = new ArrayList<>();
    for (String l :
        Files.readAllLines(
            Path.of(ConfigVerdictTest.class.getResource("/config-corpus.txt").toURI()))) {
      if (!l.isBlank() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    Path flannel =
        Path.of(System.getProperty("jflannel.root", ".."))
            .resolve("lease-store/src/test/resources/flannel-configs");
    try (Stream<Path> s = Files.list(flannel)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(Files.readString(p).strip());
      }
    }
    return out.stream();
  }

  /** What the agent's start says: null when it took the config, else its one line. */
  String agent(String json) throws Exception {
    RecordingNetlink nl = new RecordingNetlink();
    try (InMemoryLeaseRegistry etcd = new InMemoryLeaseRegistry("/coreos.com/network");
        NodeHarness h = new NodeHarness(dir, nl, etcd)) {
      etcd.putNetworkConfig(json);
      h.start(false);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  h.startFailure != null
                      || h.states.contains(AgentState.PROGRAMMING)
                      || !h.starter.isAlive());
      if (h.startFailure == null) {
        return null;
      }
      String m = h.startFailure.getMessage();
      // the backend was built and asked for its devices (udp's TUN device, an IPv6 address on
      // the interface: this harness has neither): the config and the backend took it
      return m.matches("^(vxlan|host-gw|udp|alloc) backend: .*") ? null : m;
    }
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void jflanctlAndTheAgentAgree(String json) throws Exception {
    Path f = Files.writeString(dir.resolve("net-conf.json"), json);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jflanctl.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "config",
            "validate",
            f.toString());
    String agent = agent(json);
    if (code == 0) {
      assertThat(agent).as("jflanctl: %s", out).isNull();
      return;
    }
    assertThat(agent).as("jflanctl refused it (exit %d): %s", code, err).isNotNull();
    List<String> problems =
        err.toString()
            .lines()
            .filter(l -> l.startsWith("jflanctl: invalid network config: "))
            .map(l -> l.substring("jflanctl: invalid network config: ".length()))
            .toList();
    assertThat(agent.replaceFirst("^invalid network config: ", ""))
        .as("exit %d, %s", code, err)
        .isEqualTo(String.join("; ", problems));
  }
}
