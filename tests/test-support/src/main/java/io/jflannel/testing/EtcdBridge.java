package io.jflannel.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes an etcd reachable in the root namespace (e.g. on its loopback) appear at 198.18.0.250:2379
 * in the cluster's etcd namespace, without a route between the namespaces: socat listens there and
 * hands each connection through a unix socket (a file, so visible from both namespaces) to a socat
 * in the root namespace that connects to the etcd.
 */
final class EtcdBridge {
  private final Process root;
  private final Process inNamespace;

  private EtcdBridge(Process root, Process inNamespace) {
    this.root = root;
    this.inNamespace = inNamespace;
  }

  /** Returns {@code endpoint} if it is a plain {@code http://host:port} URL; else says why not. */
  static String check(String endpoint) {
    URI u;
    try {
      u = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--etcd-endpoints " + endpoint + " is not a URL");
    }
    if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
      throw new IllegalArgumentException(
          "--etcd-endpoints "
              + endpoint
              + ": the demo takes one plain http://HOST:PORT endpoint (TLS etcd: use a real cluster)");
    }
    return endpoint;
  }

  /** Starts both halves, logging to {@code log}. */
  static EtcdBridge start(String etcdNs, Path socket, String endpoint, Path log)
      throws IOException {
    URI u = URI.create(endpoint);
    Files.deleteIfExists(socket);
    Process root =
        new ProcessBuilder(
                "socat",
                "UNIX-LISTEN:" + socket + ",fork,mode=600",
                "TCP:" + u.getHost() + ":" + u.getPort())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    for (int i = 0; i < 100 && !Files.exists(socket) && root.isAlive(); i++) {
      NetnsCluster.sleep(20);
    }
    Process inNs =
        new ProcessBuilder(
                List.of(
                    "ip",
                    "netns",
                    "exec",
                    etcdNs,
                    "socat",
                    "TCP-LISTEN:2379,bind=198.18.0.250,fork,reuseaddr",
                    "UNIX-CONNECT:" + socket))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new EtcdBridge(root, inNs);
  }

  /** True while both halves run. */
  boolean isAlive() {
    return root.isAlive() && inNamespace.isAlive();
  }

  /**
   * Stops both halves and the connections they forked, and waits until all are gone: the forked
   * children are taken before their parent dies (then they are init's), killed after it (it forks
   * no more), and waited for.
   */
  void stop() {
    for (Process p : List.of(inNamespace, root)) {
      List<ProcessHandle> forked = p.descendants().toList();
      Cmd.stop(p, true);
      for (ProcessHandle h : forked) {
        h.destroyForcibly();
        try {
          h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException("socat " + h.pid() + " did not exit", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
