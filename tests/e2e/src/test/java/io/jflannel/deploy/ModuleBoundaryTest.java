package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module and package boundaries of docs/architecture.md, read off the source tree: backends are
 * named only by themselves (adding one touches its own module and the build's wiring), the agent's
 * root package holds only the main class and the wiring, packages of the agent import no package
 * above them, and no source of ours lives in Netty's packages.
 */
class ModuleBoundaryTest {
  static final Path ROOT = Path.of(System.getProperty("jflannel.root", "../.."));
  static final List<String> BACKENDS = List.of("vxlan", "host-gw", "udp", "alloc");

  static List<Path> mainSources(String module) {
    try (Stream<Path> s = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
      return s.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void noBackendIsNamedInLeaseStoreOrTheAgent() {
    // flannel's formats name one: a config without Backend is udp (flanneld's parseBackendType),
    // a lease without BackendType is udp's (flannel's udp writes none); nothing else may
    Set<String> flannelFacts =
        Set.of("FLANNEL_DEFAULT_TYPE = \"udp\"", "FLANNEL_UNTYPED = \"udp\"");
    List<String> found = new ArrayList<>();
    for (String module : List.of("lease-store", "agent")) {
      for (Path p : mainSources(module)) {
        for (String line : read(p).lines().toList()) {
          for (String b : BACKENDS) {
            if (line.contains("\"" + b + "\"")
                && flannelFacts.stream().noneMatch(line::contains)
                && !line.strip().startsWith("*")) {
              found.add(ROOT.relativize(p) + ": " + line.strip());
            }
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void theAllocBackendIsWiredByTheBuildAloneNoCodeOutsideItsModuleNamesIt() throws IOException {
    List<String> outside = new ArrayList<>();
    try (Stream<Path> s = Files.walk(ROOT)) {
      for (Path p :
          s.filter(Files::isRegularFile)
              .filter(p -> !ROOT.relativize(p).startsWith("backends/alloc"))
              .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
              .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith("pom.xml"))
              .toList()) {
        String module = "jflannel-backend-" + "alloc"; // spelt apart: this file is not a match
        if (read(p).contains(module) || read(p).contains("backend." + "alloc")) {
          outside.add(ROOT.relativize(p).toString());
        }
      }
    }
    assertThat(outside)
        .as("the reactor's module list and the agent's runtime dependency, nothing else")
        .containsExactlyInAnyOrder("pom.xml", "agent/pom.xml");
  }

  @Test
  void agentPackagesImportNoneAboveThemAndTheRootHoldsOnlyMainAndWiring() {
    // the layers of docs/architecture.md: cli, metrics, firewall, host < node < admin, cleanup
    // < (root)
    Map<String, Integer> layer =
        Map.of(
            "cli",
            0,
            "metrics",
            0,
            "firewall",
            1,
            "host",
            1,
            "node",
            2,
            "admin",
            3,
            "cleanup",
            3,
            "",
            4);
    Pattern imp =
        Pattern.compile(
            "^import io\\.jflannel\\.agent(?:\\.(\\w+))?\\.[A-Z]\\w*;", Pattern.MULTILINE);
    Map<String, List<String>> wrong = new TreeMap<>();
    List<String> rootFiles = new ArrayList<>();
    for (Path p : mainSources("agent")) {
      String rel = ROOT.resolve("agent/src/main/java/io/jflannel/agent").relativize(p).toString();
      if (rel.startsWith("..")) {
        continue; // io.jflannel.ctl
      }
      String pkg = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : "";
      if (pkg.isEmpty() && !rel.equals("package-info.java")) {
        rootFiles.add(rel);
      }
      Matcher m = imp.matcher(read(p));
      while (m.find()) {
        String to = m.group(1) == null ? "" : m.group(1);
        if (!to.equals(pkg) && layer.get(to) >= layer.get(pkg)) {
          wrong.computeIfAbsent(rel, k -> new ArrayList<>()).add(m.group());
        }
      }
    }
    assertThat(wrong).as("imports against the layering").isEmpty();
    assertThat(rootFiles).containsExactlyInAnyOrder("Jflanneld.java", "Agent.java");
  }

  @Test
  void noSourceOfOursLivesInNettysPackages() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      assertThat(
              s.filter(p -> p.toString().endsWith(".java"))
                  .filter(p -> !p.toString().contains("/target/"))
                  .filter(p -> read(p).contains("package io." + "netty"))
                  .toList())
          .isEmpty();
    }
  }
}
