package io.jflannel.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM flags bin/jflanneld passes, read by running it with a stand-in {@code java} first on the
 * PATH that prints its arguments (so its compiler choice is exercised as shipped), and no
 * class-data archive beside the jar.
 */
final class LauncherFlags {
  static final Path LAUNCHER = SystemdUnitsTest.ROOT.resolve("bin/jflanneld");

  /** What one run of the launcher gave: its exit code, the JVM flags (before -cp), its stderr. */
  record Run(int exit, List<String> flags, String err) {}

  private LauncherFlags() {}

  /** The flags of a node with no saved state (C1 only, the default). */
  static List<String> flags() {
    try {
      Path empty = Files.createTempDirectory("jflannel-state");
      Run r = run(Map.of(), "--state-dir", empty.toString());
      Files.delete(empty);
      return r.flags();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs bin/jflanneld with {@code env} added and {@code args}; java is the stand-in. */
  static Run run(Map<String, String> env, String... args) {
    try {
      Path bin = Files.createTempDirectory("jflannel-fake-java");
      Path java = bin.resolve("java");
      Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
      List<String> cmd = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().remove("JFLANNEL_JAVA_OPTS");
      pb.environment().remove("JFLANNEL_JIT");
      pb.environment().remove("FLANNELD_STATE_DIR");
      pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      pb.environment().put("JFLANNEL_JAR", bin.resolve("agent.jar").toString());
      pb.environment().putAll(env);
      Path err = bin.resolve("err");
      Process p = pb.redirectError(err.toFile()).start();
      List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("bin/jflanneld did not finish");
      }
      int cp = out.indexOf("-cp");
      Run r =
          new Run(p.exitValue(), cp < 0 ? out : out.subList(0, cp), Files.readString(err).strip());
      Files.delete(java);
      Files.delete(err);
      Files.delete(bin);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Heap + metaspace + code cache + direct memory caps of {@code flags}, in MiB. */
  static long capsMiB(List<String> flags) {
    long sum = 0;
    for (String prefix :
        List.of(
            "-Xmx",
            "-XX:MaxMetaspaceSize=",
            "-XX:ReservedCodeCacheSize=",
            "-XX:MaxDirectMemorySize=")) {
      String f =
          flags.stream()
              .filter(s -> s.startsWith(prefix))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("bin/jflanneld sets no " + prefix));
      sum += mib(f.substring(prefix.length()));
    }
    return sum;
  }

  /** The caps of a node with no saved state. */
  static long capsMiB() {
    return capsMiB(flags());
  }

  private static long mib(String size) {
    long n = Long.parseLong(size.substring(0, size.length() - 1));
    return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
      case 'g' -> n * 1024;
      case 'm' -> n;
      default -> throw new IllegalArgumentException("unexpected size " + size);
    };
  }
}
