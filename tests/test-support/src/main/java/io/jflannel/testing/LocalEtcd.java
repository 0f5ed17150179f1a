package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's etcd as a child process on this namespace's loopback, with a temporary data dir: for
 * benchmarks and for tests of "an etcd you already run". Closing stops it and deletes its data.
 */
public final class LocalEtcd implements AutoCloseable {
  private final Path data;
  private final Process process;
  private final String url;

  /** Starts etcd with clients on 127.0.0.1:{@code port} and its peer URL on port + 1. */
  public LocalEtcd(int port) throws IOException {
    this.url = "http://127.0.0.1:" + port;
    String peer = "http://127.0.0.1:" + (port + 1);
    this.data = Files.createTempDirectory("jflannel-etcd");
    this.process =
        new ProcessBuilder(
                "etcd",
                "--data-dir",
                data.toString(),
                "--listen-client-urls",
                url,
                "--advertise-client-urls",
                url,
                "--listen-peer-urls",
                peer,
                "--initial-advertise-peer-urls",
                peer,
                "--initial-cluster",
                "default=" + peer)
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("etcd.log").toFile())
            .start();
  }

  /** Waits (at most 30 s) until etcd answers; fails naming its log. */
  public LocalEtcd awaitHealthy() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cmd.run(List.of("etcdctl", "--endpoints", url, "endpoint", "health"), 10).exit() != 0) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException(
            "etcd at " + url + " did not become healthy; log: " + data.resolve("etcd.log"));
      }
      NetnsCluster.sleep(100);
    }
    return this;
  }

  /** The client URL. */
  public String url() {
    return url;
  }

  /** Runs etcdctl against it; must succeed; returns stdout. */
  public String etcdctl(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("etcdctl", "--endpoints", url));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd, 30);
    if (r.exit() != 0) {
      throw new IllegalStateException("etcdctl " + String.join(" ", args) + ": " + r.out());
    }
    return r.out();
  }

  @Override
  public void close() {
    Cmd.stop(process, true);
    Cmd.run(List.of("rm", "-rf", data.toString()), 30);
  }
}
