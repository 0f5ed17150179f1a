package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/jflanctl's class-data archive: written beside the jar once, an earlier jar's removed. */
class JflanctlArchiveIT {
  @TempDir Path dir;

  @Test
  void theFirstRunOfANewJarWritesItsArchiveAndRemovesTheOldJarsOne() throws Exception {
    Path built = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    assertThat(built).as("the agent jar (mvn package)").exists();
    Path jar = Files.copy(built, dir.resolve("jflannel-agent-all.jar"));
    Path old = Files.writeString(dir.resolve("jflannel-agent-all-ctl-1700000000-123.jsa"), "old");
    Path agents = Files.writeString(dir.resolve("jflannel-agent-all.jsa"), "the agent's archive");
    Path launcher = SystemdUnitsTest.ROOT.resolve("bin/jflanctl");
    List<String> cmd = List.of("env", "JFLANNEL_JAR=" + jar, launcher.toString(), "--version");
    Cmd.Result first = Cmd.run(cmd, 60);
    assertThat(first.exit()).as(first.out()).isZero();
    assertThat(old).doesNotExist();
    assertThat(agents).exists();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .filteredOn(n -> n.contains("-ctl-"))
          .singleElement()
          .asString()
          .matches("jflannel-agent-all-ctl-\\d+-\\d+\\.jsa");
    }
    Cmd.Result second = Cmd.run(cmd, 60); // maps it
    assertThat(second.out()).isEqualTo(first.out());
  }
}
