package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.agent.Jflanneld;
import io.jflannel.ctl.Jflanctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every jflanctl and jflanneld command the docs quote (inline and in code blocks of README.md,
 * docs/troubleshooting.md and docs/operations.md) is one the tools take: its subcommand and flags
 * parse with the real command lines (placeholders such as FILE and SUBNET filled in, optional
 * [parts] left out). The commands that need a running node are run for real in DoctorIT, AdminIT,
 * CleanupIT and JflanctlIT.
 */
class DocsCommandsTest {
  static final Path ROOT = Path.of(System.getProperty("jflannel.root", "../.."));
  static final Pattern INLINE = Pattern.compile("`((?:jflanctl|jflanneld)(?: [^`]*)?)`");

  @Test
  void everyQuotedCommandParses() throws Exception {
    Set<String> commands = new LinkedHashSet<>();
    for (String doc : List.of("README.md", "docs/troubleshooting.md", "docs/operations.md")) {
      String text = Files.readString(ROOT.resolve(doc));
      Matcher m = INLINE.matcher(text);
      while (m.find()) {
        commands.add(m.group(1));
      }
      boolean code = false;
      for (String line : text.lines().toList()) {
        if (line.startsWith("```")) {
          code = !code;
        } else if (code && line.matches("(jflanctl|jflanneld)( .*)?")) {
          commands.add(line.replaceFirst("\\s+#.*$", "").strip());
        }
      }
    }
    assertThat(commands).as("the docs quote commands").hasSizeGreaterThan(20);
    Path file = Files.createTempFile("net-conf", ".json");
    List<String> failed = new ArrayList<>();
    for (String c : commands) {
      String filled =
          c.replaceAll("\\[[^\\]]*\\]", " ")
              .replace("…", " ")
              .replace("FILE", file.toString())
              .replace("SUBNET", "10.244.1.0/24")
              .replaceAll("\\s+", " ")
              .strip();
      List<String> words = new ArrayList<>(Arrays.asList(filled.split(" ")));
      String tool = words.remove(0);
      String why = tool.equals("jflanctl") ? jflanctl(words) : jflanneld(words);
      if (why != null) {
        failed.add(c + " -> " + why);
      }
    }
    assertThat(failed).as("commands the tools do not take").isEmpty();
    Files.delete(file);
  }

  /**
   * Every troubleshooting section a log line, an error, an alert or a doc links to exists: the
   * sources of every module and the monitoring rules are read, each {@code troubleshooting.md#name}
   * must be a {@code ## name} heading of docs/troubleshooting.md.
   */
  @Test
  void everyLinkedSectionExists() throws Exception {
    Set<String> headings = new LinkedHashSet<>();
    for (String line : Files.readAllLines(ROOT.resolve("docs/troubleshooting.md"))) {
      if (line.startsWith("## ")) {
        headings.add(line.substring(3).strip());
      }
    }
    Pattern link = Pattern.compile("troubleshooting\\.md#([a-z0-9-]+)");
    Set<String> linked = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    for (String dir :
        List.of("agent/src/main", "backends", "lease-store/src/main", "deploy", "docs")) {
      try (var files = Files.walk(ROOT.resolve(dir))) {
        for (Path f : files.filter(DocsCommandsTest::isSource).toList()) {
          Matcher m = link.matcher(Files.readString(f));
          while (m.find()) {
            linked.add(m.group(1));
            if (!headings.contains(m.group(1))) {
              missing.add(ROOT.relativize(f) + " -> #" + m.group(1));
            }
          }
        }
      }
    }
    assertThat(linked).as("sections the code and rules link to").hasSizeGreaterThan(10);
    assertThat(missing).as("links to sections docs/troubleshooting.md lacks").isEmpty();
  }

  private static boolean isSource(Path f) {
    String name = f.getFileName().toString();
    return Files.isRegularFile(f)
        && !f.toString().contains("/target/")
        && (name.endsWith(".java")
            || name.endsWith(".yaml")
            || name.endsWith(".md")
            || name.endsWith(".json"));
  }

  /** Null when jflanctl takes these words (checked with --help: nothing runs). */
  private static String jflanctl(List<String> words) {
    List<String> args = new ArrayList<>(words);
    if (!args.contains("--help") && !args.contains("--version")) {
      args.add("--help");
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jflanctl.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return code == 0 ? null : err.toString().strip();
  }

  /** Null when jflanneld's parser takes these words. */
  private static String jflanneld(List<String> words) {
    try {
      Jflanneld.parse(Map.of(), words.toArray(String[]::new));
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
