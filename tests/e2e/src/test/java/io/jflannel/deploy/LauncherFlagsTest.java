package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tests run the agent with the flags users get (the fixtures' copy equals what bin/jflanneld
 * passes), and the launcher picks the compiler by the backend the node last ran: C1 only, or the
 * optimizing compiler for a udp node, or what JFLANNEL_JIT says.
 */
class LauncherFlagsTest {
  static final List<String> C1 =
      List.of("-XX:ReservedCodeCacheSize=16m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");
  static final List<String> TIERED =
      List.of("-XX:ReservedCodeCacheSize=24m", "-XX:CICompilerCount=2");

  @Test
  void fixturesStartTheAgentWithTheShippedFlags() {
    assertThat(System.getenv("JFLANNEL_JAVA_OPTS"))
        .as("JFLANNEL_JAVA_OPTS replaces the shipped flags in the fixtures too; unset it")
        .isNull();
    assertThat(Node.AGENT_JVM_FLAGS).containsExactlyElementsOf(LauncherFlags.flags());
  }

  @Test
  void capsAreWhatTheDaemonSetLimitIsDerivedFrom() {
    assertThat(LauncherFlags.capsMiB()).isEqualTo(64 + 48 + 16 + 64);
  }

  @Test
  void aNodeThatRanUdpGetsTheOptimizingCompilerAndOthersC1Only() throws Exception {
    Path state = Files.createTempDirectory("jflannel-state");
    try {
      Path config = state.resolve("network-config.json");
      assertThat(LauncherFlags.run(Map.of(), "--state-dir", state.toString()).flags())
          .as("no saved config")
          .containsSubsequence(C1);
      Files.writeString(config, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
      assertThat(LauncherFlags.run(Map.of(), "--state-dir=" + state).flags())
          .containsSubsequence(C1);
      Files.writeString(
          config,
          "{\"Network\":\"10.244.0.0/16\",\"Backend\": {\"Type\" : \"udp\", \"Port\":8285}}");
      LauncherFlags.Run udp =
          LauncherFlags.run(Map.of(), "--iface=eth0", "--state-dir", state.toString());
      assertThat(udp.flags()).containsSubsequence(TIERED).doesNotContain("-XX:TieredStopAtLevel=1");
      assertThat(LauncherFlags.capsMiB(udp.flags())).isEqualTo(64 + 48 + 24 + 64);
      assertThat(Node.UDP_JVM_FLAGS)
          .as("the fixtures start a udp cluster's agents as the launcher starts a udp node")
          .containsExactlyElementsOf(udp.flags());
      assertThat(LauncherFlags.run(Map.of("FLANNELD_STATE_DIR", state.toString())).flags())
          .as("the state directory from the environment, as the agent reads it")
          .containsSubsequence(TIERED);
      assertThat(
              LauncherFlags.run(Map.of("JFLANNEL_JIT", "c1"), "--state-dir", state.toString())
                  .flags())
          .containsSubsequence(C1);
      assertThat(LauncherFlags.run(Map.of("JFLANNEL_JIT", "tiered")).flags())
          .containsSubsequence(TIERED);
      LauncherFlags.Run bad = LauncherFlags.run(Map.of("JFLANNEL_JIT", "c2"));
      assertThat(bad.exit()).isEqualTo(2);
      assertThat(bad.err()).isEqualTo("jflanneld: JFLANNEL_JIT=c2: want auto, c1 or tiered");
    } finally {
      Files.deleteIfExists(state.resolve("network-config.json"));
      Files.delete(state);
    }
  }
}
