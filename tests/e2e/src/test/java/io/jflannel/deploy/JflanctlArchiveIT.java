package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jflanctl's class-data archive: the one the build dumped beside the jar from the recorded
 * class list (the agent's, which carries jflanctl's classes too) is mapped whatever command runs
 * first (an archive written by a first run holds only that run's classes: a first {@code --version}
 * used to leave every later {@code leases} at twice its time), and a jar without its archive, or
 * with one that does not fit, runs all the same.
 */
class JflanctlArchiveIT {
  static final Path LAUNCHER = SystemdUnitsTest.ROOT.resolve("bin/jflanctl");
  @TempDir Path dir;

  @Test
  void theBuildsArchiveIsMappedAndNoRunWritesOne() throws Exception {
    Path jar = builtJar();
    Path jsa = jar.resolveSibling(jar.getFileName().toString().replace(".jar", ".jsa"));
    assertThat(jsa)
        .as("the build dumps the class-data archive beside the jar (mvn package)")
        .exists();
    version(jar); // an earlier release's leftovers beside the build's jar go with the first run
    List<String> before = files(jar.getParent());
    Cmd.Result r =
        Cmd.run(
            List.of(
                "env",
                "JFLANNEL_JAR=" + jar,
                "JFLANCTL_JAVA_OPTS=-XX:TieredStopAtLevel=1 -Xlog:class+load=info",
                LAUNCHER.toString(),
                "--version"),
            60);
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains(" io.jflannel.ctl.Jflanctl ")))
        .as("jflanctl's main class, loaded from the archive")
        .singleElement()
        .asString()
        .contains("source: shared objects file");
    assertThat(files(jar.getParent())).as("files beside the jar").isEqualTo(before);
  }

  @Test
  void aJarWithoutItsArchiveOrWithOneThatDoesNotFitRunsAllTheSame() throws Exception {
    Path built = builtJar();
    String expected = version(built);
    Path jar = Files.copy(built, dir.resolve("jflannel-agent-all.jar"));
    // what an earlier release's jflanctl wrote beside the jar on its first run: removed
    Files.writeString(dir.resolve("jflannel-agent-all-ctl-1700000000-123.jsa"), "old");
    assertThat(version(jar)).isEqualTo(expected);
    assertThat(files(dir))
        .as("no archive written by a run, an earlier release's removed")
        .containsExactly(jar.toString());
    // the build's archive, dumped for the jar at another path: the JVM refuses it and goes on
    Path foreign = dir.resolve("jflannel-agent-all.jsa");
    Files.copy(
        built.resolveSibling(built.getFileName().toString().replace(".jar", ".jsa")), foreign);
    assertThat(version(jar)).isEqualTo(expected);
    Files.delete(foreign);
    Files.writeString(foreign, "not an archive");
    assertThat(version(jar)).isEqualTo(expected);
  }

  private static Path builtJar() {
    Path built = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    assertThat(built).as("the agent jar (mvn package)").exists();
    return built;
  }

  private static String version(Path jar) {
    Cmd.Result r =
        Cmd.run(List.of("env", "JFLANNEL_JAR=" + jar, LAUNCHER.toString(), "--version"), 60);
    assertThat(r.exit()).as(r.out()).isZero();
    return r.out();
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(Path::toString).sorted().toList();
    }
  }
}
