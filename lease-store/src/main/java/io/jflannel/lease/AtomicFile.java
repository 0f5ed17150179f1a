package io.jflannel.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that readers see whole or not at all: written to a temporary file in the same directory,
 * then renamed over the target. Used for subnet.env, the agent's state and CNI configs.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes {@code text} to {@code file} atomically with {@code mode} (e.g. {@code rw-r--r--}),
   * creating the directory.
   */
  public static void write(Path file, String text, String mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
