package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The etcd members of a {@link NetnsCluster}: Debian's etcd, member i in namespace {@code
 * <prefix>etcd} (the first) or {@code <prefix>etcd<i>} at 198.18.0.(250 + i), data kept across
 * restarts. Members can be killed (SIGKILL: an outage, not a clean leave), restarted, paused
 * (SIGSTOP) and resumed; the leader can be found.
 */
public final class EtcdMembers implements AutoCloseable {
  private final List<String> namespaces;
  private final Path dir;
  private final Process[] processes;
  private String extraClientUrl;

  EtcdMembers(List<String> namespaces, Path dir) {
    this.namespaces = List.copyOf(namespaces);
    this.dir = dir;
    this.processes = new Process[namespaces.size()];
  }

  /** The underlay address of member {@code i}. */
  public static String address(int i) {
    return "198.18.0." + (250 + i);
  }

  static String name(int i) {
    return "e" + i;
  }

  /** Members in the cluster. */
  public int size() {
    return namespaces.size();
  }

  /** Every member's client URL, comma-separated (the agents' --etcd-endpoints). */
  public String endpoints() {
    return IntStream.range(0, size())
        .mapToObj(i -> "http://" + address(i) + ":2379")
        .collect(Collectors.joining(","));
  }

  /** The namespace of member {@code i} (etcdctl runs in member 0's). */
  public String namespace(int i) {
    return namespaces.get(i);
  }

  /**
   * Member 0 also serves clients at {@code url} (e.g. {@code http://[fd00:198:18::250]:2379}) from
   * its next start on.
   */
  public void listenAlso(String url) {
    extraClientUrl = url;
  }

  /** Starts (or restarts with its data) member {@code i}. */
  public void start(int i) throws IOException {
    String url = "http://" + address(i);
    String clientUrls =
        url + ":2379" + (i == 0 && extraClientUrl != null ? "," + extraClientUrl : "");
    String initial =
        IntStream.range(0, size())
            .mapToObj(j -> name(j) + "=http://" + address(j) + ":2380")
            .collect(Collectors.joining(","));
    processes[i] =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespaces.get(i),
                "etcd",
                "--name",
                name(i),
                "--data-dir",
                dir.resolve("etcd-" + i).toString(),
                "--listen-client-urls",
                clientUrls,
                "--advertise-client-urls",
                url + ":2379",
                "--listen-peer-urls",
                url + ":2380",
                "--initial-advertise-peer-urls",
                url + ":2380",
                "--initial-cluster",
                initial,
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                "jflannel")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("etcd-" + i + ".log").toFile()))
            .start();
  }

  /** Starts every member (a cluster needs a quorum to become healthy). */
  public void startAll() throws IOException {
    for (int i = 0; i < size(); i++) {
      start(i);
    }
  }

  /** True while member {@code i}'s process runs (paused counts as running). */
  public boolean alive(int i) {
    return processes[i] != null && processes[i].isAlive();
  }

  /** SIGKILL to member {@code i}. */
  public void kill(int i) throws InterruptedException {
    if (processes[i] != null) {
      resume(i);
      processes[i].destroyForcibly().waitFor();
    }
  }

  /** Kills every member. */
  public void killAll() throws InterruptedException {
    for (int i = 0; i < size(); i++) {
      kill(i);
    }
  }

  /** SIGSTOP to member {@code i}: it keeps its connections but answers nothing. */
  public void pause(int i) {
    Cmd.ok("kill", "-STOP", Long.toString(processes[i].pid()));
  }

  /** SIGCONT to member {@code i}. */
  public void resume(int i) {
    if (alive(i)) {
      Cmd.run(List.of("kill", "-CONT", Long.toString(processes[i].pid())), 10);
    }
  }

  /** The index of the member that leads, or -1 when none answers. */
  public int leader() {
    for (int i = 0; i < size(); i++) {
      Cmd.Result r =
          Cmd.runIn(
              namespaces.get(0),
              10,
              "etcdctl",
              "--endpoints",
              "http://" + address(i) + ":2379",
              "--command-timeout=2s",
              "endpoint",
              "status",
              "-w",
              "fields");
      if (r.exit() == 0) {
        String member = field(r.out(), "\"MemberID\"");
        String leader = field(r.out(), "\"Leader\"");
        if (member != null && member.equals(leader)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static String field(String out, String name) {
    return out.lines()
        .filter(l -> l.startsWith(name + " : "))
        .map(l -> l.substring(name.length() + 3).strip())
        .findFirst()
        .orElse(null);
  }

  /** Waits (30 s at most) until the cluster answers a linearizable read. */
  public void awaitHealthy() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cmd.run(etcdctl(List.of("get", "/health-probe")), 10).exit() != 0) {
      boolean anyAlive = IntStream.range(0, size()).anyMatch(this::alive);
      if (System.nanoTime() > deadline || !anyAlive) {
        throw new IllegalStateException("etcd did not become healthy; logs in " + dir);
      }
      NetnsCluster.sleep(200);
    }
  }

  /** An etcdctl command against every member, run in member 0's namespace. */
  List<String> etcdctl(List<String> args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                namespaces.get(0),
                "etcdctl",
                "--endpoints",
                endpoints(),
                "--command-timeout=5s"));
    cmd.addAll(args);
    return cmd;
  }

  @Override
  public void close() {
    for (int i = 0; i < size(); i++) {
      resume(i);
      Cmd.stop(processes[i], false);
    }
  }
}
