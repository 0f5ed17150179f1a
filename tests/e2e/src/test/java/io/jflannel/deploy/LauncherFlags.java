package io.jflannel.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags bin/jflanneld ships (its ${JFLANNEL_JAVA_OPTS:-...} default), read from the file.
 */
final class LauncherFlags {
  static final Path LAUNCHER = SystemdUnitsTest.ROOT.resolve("bin/jflanneld");

  private LauncherFlags() {}

  static List<String> flags() {
    try {
      Matcher m =
          Pattern.compile("\\$\\{JFLANNEL_JAVA_OPTS:-([^}]*)}").matcher(Files.readString(LAUNCHER));
      if (!m.find()) {
        throw new IllegalStateException(LAUNCHER + " has no ${JFLANNEL_JAVA_OPTS:-...} default");
      }
      return List.of(m.group(1).trim().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Heap + metaspace + code cache + direct memory caps, in MiB. */
  static long capsMiB() {
    long sum = 0;
    for (String prefix :
        List.of(
            "-Xmx",
            "-XX:MaxMetaspaceSize=",
            "-XX:ReservedCodeCacheSize=",
            "-XX:MaxDirectMemorySize=")) {
      String f =
          flags().stream()
              .filter(s -> s.startsWith(prefix))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("bin/jflanneld sets no " + prefix));
      sum += mib(f.substring(prefix.length()));
    }
    return sum;
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
