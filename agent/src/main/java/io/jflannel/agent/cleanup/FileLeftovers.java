package io.jflannel.agent.cleanup;

import io.jflannel.agent.cli.AgentOptions;
import io.jflannel.agent.host.CniConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the agent wrote to disk: the CNI config it wrote (never a foreign one: only a file with our
 * mark), subnet.env, a stale admin socket, and its state directory's files.
 */
final class FileLeftovers {
  /** The CNI config an agent wrote by default before --cni-conf-dir had to be asked for. */
  static final Path OLD_DEFAULT_CNI = Path.of("/etc/cni/net.d/10-jflannel.conflist");

  /** Files of the state directory: saved config and peers, VtepMACs, the node lock, temp files. */
  private static final Pattern STATE =
      Pattern.compile("network-config\\.json|peers\\.json|.+\\.mac|jflanneld\\.lock|\\..+\\.tmp");

  private FileLeftovers() {}

  /** Our CNI config (at the configured place, or the old default one), the socket, subnet.env. */
  static List<Leftover> find(AgentOptions o) {
    List<Leftover> out = new ArrayList<>();
    Path cni = CniConfig.of(o.cni()).file();
    for (Path f : Stream.of(cni, OLD_DEFAULT_CNI).distinct().toList()) {
      if (f != null && CniConfig.writtenByUs(f)) {
        out.add(
            new Leftover(
                "file " + f + " (CNI config jflanneld wrote)",
                () -> {
                  delete(f);
                  deleteIfEmpty(f.getParent());
                }));
      }
    }
    Path socket = o.listeners().adminSocket();
    if (socket != null && Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      out.add(
          new Leftover(
              "socket " + socket + " (the admin API's, left by an agent that was killed)",
              () -> {
                delete(socket);
                deleteIfEmpty(socket.getParent());
              }));
    }
    Path env = o.node().subnetFile();
    if (Files.exists(env)) {
      out.add(
          new Leftover(
              "file " + env,
              () -> {
                delete(env);
                deleteIfEmpty(env.getParent());
              }));
    }
    return out;
  }

  /** The state directory's files of ours, then the directory when nothing else is in it. */
  static List<Leftover> state(Path dir) {
    List<Leftover> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> ours = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.sorted()
          .forEach(
              p -> {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && STATE.matcher(n).matches()) {
                  ours.add(p);
                } else {
                  foreign.add(n);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    String what =
        "state directory "
            + dir
            + " ("
            + ours.stream().map(p -> p.getFileName().toString()).toList()
            + (foreign.isEmpty() ? "" : "; left: " + foreign + ", not written by jflanneld")
            + ")";
    out.add(
        new Leftover(
            what,
            () -> {
              ours.forEach(FileLeftovers::delete);
              if (foreign.isEmpty()) {
                deleteIfEmpty(dir);
              }
            }));
    return out;
  }

  private static void delete(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + f + ": " + e.getMessage(), e);
    }
  }

  /** Removes an empty directory; one in use (a mount point) or holding anything stays. */
  private static void deleteIfEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (IOException e) {
      // not empty, a mount point (a DaemonSet's hostPath), or gone: it stays as it is
    }
  }
}
