package io.jflannel.bench;

import io.jflannel.testing.Node;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the agent's classes cost before it does anything, for {@link FootprintBench}: the resident
 * size of a JVM with the launcher's flags that runs nothing ({@code main} with no argument), and of
 * one that also loads every class of the recorded class list from the build's archive without
 * initialising any ({@code main} with the list). The difference is the floor the class count sets
 * under the agent's RSS, whatever its heap and threads.
 */
public final class ClassFloor {
  private ClassFloor() {}

  /**
   * Loads the classes the list at {@code args[0]} names (if given), reports, waits to be killed.
   */
  public static void main(String[] args) throws Exception {
    int loaded = 0;
    if (args.length > 0) {
      for (String line : Files.readAllLines(Path.of(args[0]))) {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("@")) {
          continue;
        }
        try {
          Class.forName(
              line.split(" ")[0].replace('/', '.'), false, ClassFloor.class.getClassLoader());
          loaded++;
        } catch (ClassNotFoundException | LinkageError e) {
          // a generated class (lambda forms, proxies) is in the list by name only
        }
      }
    }
    System.out.println("loaded " + loaded);
    Thread.sleep(60_000);
  }

  /**
   * RSS in MiB of {@link #main} run with the agent's flags: nothing loaded ({@code classList}
   * null), or {@code classList}'s classes from {@code jar}'s archive.
   */
  static String rss(Path jar, Path classList) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(Node.AGENT_JVM_FLAGS);
    String self =
        Path.of(ClassFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    if (classList != null) {
      List<String> archive = Node.archiveFlags(jar);
      if (archive.isEmpty()) {
        return "- (no archive)";
      }
      cmd.addAll(archive);
      // the archive's class path first, as it was dumped; this class after it
      cmd.addAll(
          List.of("-cp", jar + ":" + self, ClassFloor.class.getName(), classList.toString()));
    } else {
      cmd.addAll(List.of("-cp", self, ClassFloor.class.getName()));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      if (line == null || !line.startsWith("loaded")) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + line);
      }
      Thread.sleep(1000);
      return String.format(
          "%.0f MiB (%s classes)",
          EventTimes.status(p.pid(), "VmRSS:") / 1024.0, line.substring(7));
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
