package io.jflannel.agent.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One agent per node: a lock on {@code <state-dir>/jflanneld.lock} (fcntl, released by the kernel
 * when the process ends however it ends), taken before the agent opens or creates anything. A
 * second agent started at the same instant loses atomically and exits with one line naming the
 * holder's pid, having touched none of the winner's devices, files or sockets. {@code jflanneld
 * cleanup} takes the same lock, so it never runs under a live agent.
 */
public final class NodeLock implements AutoCloseable {
  /** The lock file's name in the state directory. */
  public static final String FILE = "jflanneld.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private NodeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the node's lock for this process.
   *
   * @throws StartupException naming the pid of the agent that holds it, or why the lock file cannot
   *     be used
   */
  public static NodeLock take(Path stateDir, String who) {
    Path file = stateDir.resolve(FILE);
    FileChannel ch = null;
    try {
      Files.createDirectories(stateDir);
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        String holder = holder(ch);
        for (int i = 0; i < 20 && holder.isEmpty(); i++) { // it took the lock a moment ago
          sleep(10);
          holder = holder(ch);
        }
        ch.close();
        throw new StartupException(
            "another jflanneld"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + " runs on this node (lock "
                + file
                + " held): "
                + who
                + " exits without touching it");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
          0);
      ch.force(false);
      return new NodeLock(ch, l);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new StartupException("cannot take the node lock " + file + ": " + e.getMessage());
    }
  }

  /** The pid the holder wrote, or empty when it wrote none yet. */
  static String holder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(32);
    ch.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
  }

  /** The pid holding the lock of {@code stateDir}, or null when no agent holds it. */
  public static String heldBy(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l != null) {
        l.release();
        return null;
      }
      String pid = holder(ch);
      return pid.isEmpty() ? "?" : pid;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing held
      }
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
