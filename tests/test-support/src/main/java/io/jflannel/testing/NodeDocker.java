package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real dockerd on one node of a {@link NetnsCluster}, as on a Docker host: its own data root,
 * exec root, socket, pidfile, cgroup parent and (dockerd-managed) containerd, Docker's iptables
 * management on inside the node's namespace, {@code --live-restore}. It runs in the node's network
 * namespace and in a mount namespace of the node's own, held by a process for the node's lifetime
 * (so that a restarted dockerd sees its running containers' mounts, and no mount reaches the host),
 * with a sysfs of that network namespace and the host's cgroup hierarchy moved under it. Closing
 * removes its containers, stops it and its shims, and deletes its directories and cgroups.
 */
public final class NodeDocker implements AutoCloseable {
  private final Node node;
  private final Path dir;
  private final String cgroupParent;
  private Process dockerd;
  private Process holder;
  private int starts;

  /** A dockerd for {@code node}, keeping its state under {@code dir}. */
  public NodeDocker(Node node, Path dir, String cgroupParent) {
    this.node = node;
    this.dir = dir;
    this.cgroupParent = cgroupParent;
  }

  Path socket() {
    return dir.resolve("docker.sock");
  }

  /** The dockerd log of its latest start. */
  public Path log() {
    return dir.resolve("dockerd-" + starts + ".log");
  }

  /**
   * Starts dockerd with {@code opts} (e.g. what {@code jflanctl docker-opts} prints: --bip, --mtu,
   * --ip-masq) and waits until it answers.
   */
  public void start(List<String> opts) throws IOException {
    Files.createDirectories(dir);
    starts++;
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "dockerd",
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                dir.resolve("docker.pid").toString(),
                "-H",
                "unix://" + socket(),
                "--cgroup-parent",
                cgroupParent,
                "--iptables=true",
                "--ip-forward=true",
                "--live-restore",
                "--userland-proxy=false",
                "--storage-driver",
                "overlay2"));
    cmd.addAll(opts);
    if (holder == null || !holder.isAlive()) {
      holdMountNamespace();
    }
    List<String> all =
        new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid()), "--mount", "--net"));
    all.addAll(cmd);
    dockerd =
        new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(log().toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (docker("info").exit() != 0) {
      if (!dockerd.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "dockerd on " + node.ns() + " did not start; log " + log() + ":\n" + tail());
      }
      NetnsCluster.sleep(200);
    }
  }

  /** The node's mount namespace: a fresh sysfs of its network namespace, the host's cgroups. */
  private void holdMountNamespace() throws IOException {
    String mounts =
        "mkdir -p '"
            + dir
            + "/cg' && mount --rbind /sys/fs/cgroup '"
            + dir
            + "/cg'"
            + " && mount -t sysfs sysfs /sys && mount --move '"
            + dir
            + "/cg' /sys/fs/cgroup"
            + " && touch '"
            + dir
            + "/mounted' && exec sleep 86400";
    holder =
        new ProcessBuilder(
                "nsenter",
                "--net=/run/netns/" + node.ns(),
                "unshare",
                "--mount",
                "--propagation",
                "slave",
                "sh",
                "-c",
                mounts)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("holder.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(dir.resolve("mounted"))) {
      if (!holder.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "mount namespace for "
                + node.ns()
                + " failed: "
                + Files.readString(dir.resolve("holder.log")));
      }
      NetnsCluster.sleep(50);
    }
  }

  /** Stops dockerd (SIGTERM; containers keep running: --live-restore). */
  public void stop() {
    Cmd.stop(dockerd, false);
  }

  /** True while dockerd runs. */
  public boolean running() {
    return dockerd != null && dockerd.isAlive();
  }

  /** Runs the docker CLI against this dockerd. */
  public Cmd.Result docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/docker", "-H", "unix://" + socket()));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd, 120);
  }

  /** Runs the docker CLI; must succeed; returns its output. */
  public String dockerOk(String... args) {
    Cmd.Result r = docker(args);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "docker " + String.join(" ", args) + " on " + node.ns() + ": " + r.out());
    }
    return r.out().strip();
  }

  /** A container's IPv4 address on the default bridge. */
  public String ip(String container) {
    return dockerOk("inspect", "-f", "{{.NetworkSettings.IPAddress}}", container);
  }

  /** The host PID of a container's init (to enter its namespaces from the node). */
  public long pid(String container) {
    return Long.parseLong(dockerOk("inspect", "-f", "{{.State.Pid}}", container));
  }

  /** The last lines of dockerd's log. */
  public String tail() {
    try {
      List<String> l = Files.readAllLines(log());
      return String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    if (running()) {
      String ids = docker("ps", "-aq").out().strip();
      if (!ids.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(List.of(ids.split("\\s+")));
        docker(rm.toArray(String[]::new));
      }
    }
    stop();
    Cmd.stop(holder, true);
    // shims left behind (SIGKILLed dockerd, live-restore) name our exec root on their command line
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      String line = p.info().commandLine().orElse("");
      if (line.contains(dir.toString()) && p.pid() != ProcessHandle.current().pid()) {
        p.destroyForcibly();
      }
    }
    // what still runs in our cgroup parent (containers whose shim was killed) is ours: stop it
    String cg = "/sys/fs/cgroup/*/" + cgroupParent.replaceFirst("^/", "");
    Cmd.run(
        List.of(
            "sh",
            "-c",
            "for f in $(find "
                + cg
                + " -name cgroup.procs 2>/dev/null); do cat $f; done"
                + " | sort -u | xargs -r kill -9; sleep 0.5;"
                + " for c in "
                + cg
                + "; do find \"$c\" -depth -type d -exec rmdir {} + 2>/dev/null; done;"
                + " true"),
        30);
    Cmd.run(List.of("rm", "-rf", dir.toString()), 60);
  }
}
