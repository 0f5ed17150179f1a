package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Node;
import org.junit.jupiter.api.Test;

/** The tests run the agent with the flags users get: the fixtures' copy equals bin/jflanneld's. */
class LauncherFlagsTest {
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
}
