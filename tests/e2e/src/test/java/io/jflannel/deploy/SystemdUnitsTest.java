package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd: the unit passes {@code systemd-analyze verify} (there is no systemd as PID 1
 * here, so only the ExecStart path is pointed at a scratch executable; every other line is
 * verbatim), the docker drop-in feeds subnet.env to dockerd, and the install script installs and
 * uninstalls.
 */
class SystemdUnitsTest {
  static final Path ROOT = Path.of(System.getProperty("jflannel.root", "../.."));
  static final Path SYSTEMD = ROOT.resolve("deploy/systemd");

  @Test
  void unitVerifies(@TempDir Path dir) throws Exception {
    String unit = Files.readString(SYSTEMD.resolve("jflanneld.service"));
    assertThat(unit)
        .contains(
            "Type=notify",
            "Restart=on-failure",
            "After=network-online.target",
            "EnvironmentFile=-/etc/jflannel/jflanneld.env",
            "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW",
            "ExecStart=/usr/local/bin/jflanneld");
    Path exe = dir.resolve("jflanneld");
    Files.writeString(exe, "#!/bin/sh\n");
    exe.toFile().setExecutable(true);
    Path copy = dir.resolve("jflanneld.service");
    Files.writeString(copy, unit.replace("ExecStart=/usr/local/bin/jflanneld", "ExecStart=" + exe));
    Cmd.Result r = Cmd.run(List.of("systemd-analyze", "verify", copy.toString()), 60);
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).doesNotContain("jflanneld.service:");
  }

  @Test
  void dockerDropInStartsDockerdWithTheOptionsOfDockerOptsAfterTheAgent(@TempDir Path dir)
      throws Exception {
    String dropIn = Files.readString(SYSTEMD.resolve("docker.service.d/10-jflannel.conf"));
    assertThat(dropIn)
        .contains(
            "After=jflanneld.service",
            "Wants=jflanneld.service",
            "ExecStart=\n",
            "jflanctl docker-opts --wait 60");
    assertThat(dropIn.lines().filter(l -> !l.startsWith("#")))
        .as("a jflanneld restart must not restart docker and its containers")
        .noneMatch(l -> l.startsWith("Requires="));
    String start =
        dropIn
            .lines()
            .filter(l -> l.startsWith("ExecStart=/bin/sh -c '"))
            .findFirst()
            .orElseThrow();
    String script = start.substring("ExecStart=/bin/sh -c '".length(), start.length() - 1);
    // the same shell line, with stand-ins for jflanctl and dockerd: what dockerd is given
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(
        bin.resolve("jflanctl"),
        "#!/bin/sh\necho --bip=10.244.5.1/24 --ip-masq=false --mtu=1450\n");
    Files.writeString(bin.resolve("dockerd"), "#!/bin/sh\necho dockerd \"$@\"\n");
    bin.resolve("jflanctl").toFile().setExecutable(true);
    bin.resolve("dockerd").toFile().setExecutable(true);
    String local =
        script
            .replace("/usr/local/bin/jflanctl", bin + "/jflanctl")
            .replace("/usr/bin/dockerd", bin + "/dockerd");
    assertThat(Cmd.ok("sh", "-c", local).strip())
        .isEqualTo(
            "dockerd --bip=10.244.5.1/24 --ip-masq=false --mtu=1450 -H fd:// --containerd=/run/containerd/containerd.sock");
    Files.writeString(
        bin.resolve("jflanctl"), "#!/bin/sh\necho 'jflanctl: no subnet.env' >&2; exit 5\n");
    assertThat(Cmd.run(List.of("sh", "-c", local), 10).exit())
        .as("no subnet.env: docker does not start on a bridge no node reaches")
        .isEqualTo(1);
  }

  @Test
  void installAndUninstallIntoAScratchRoot(@TempDir Path root) {
    Cmd.ok(
        SYSTEMD.resolve("install.sh").toString(),
        "--root",
        root.toString(),
        "--with-docker-dropin");
    for (String f :
        List.of(
            "usr/local/bin/jflanneld",
            "usr/local/lib/jflannel/jflannel-agent-all.jar",
            "usr/local/lib/jflannel/jflannel-agent-all.jsa",
            "etc/systemd/system/jflanneld.service",
            "etc/systemd/system/docker.service.d/10-jflannel.conf",
            "etc/jflannel/jflanneld.env")) {
      assertThat(root.resolve(f)).as(f).exists();
    }
    String version = Cmd.ok(root.resolve("usr/local/bin/jflanneld").toString(), "--version");
    assertThat(version).startsWith("jflanneld ");
    // the archive install.sh dumped maps for the installed jar (-Xshare:on fails when it cannot)
    Path lib = root.resolve("usr/local/lib/jflannel");
    assertThat(mapped(lib, "io.jflannel.agent.Jflanneld")).startsWith("jflanneld ");
    assertThat(mapped(lib, "io.jflannel.ctl.Jflanctl"))
        .as("the archive install.sh dumped serves jflanctl too")
        .startsWith("jflanctl ");
    assertThat(Cmd.ok(root.resolve("usr/local/bin/jflanctl").toString(), "--version"))
        .startsWith("jflanctl ");
    assertThat(
            Cmd.ok(
                SYSTEMD.resolve("install.sh").toString(), "--root", root.toString(), "--uninstall"))
        .as("a scratch root has no node state: the host's is never touched")
        .contains("jflanneld cleanup skipped");
    assertThat(root.resolve("usr/local/bin/jflanneld")).doesNotExist();
    assertThat(root.resolve("usr/local/bin/jflanctl")).doesNotExist();
    assertThat(root.resolve("usr/local/lib/jflannel")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/jflanneld.service")).doesNotExist();
    assertThat(root.resolve("etc/jflannel/jflanneld.env")).as("config is kept").exists();
  }

  /** {@code main --version} from the installed jar, failing unless the installed archive maps. */
  private static String mapped(Path lib, String main) {
    return Cmd.ok(
        "java",
        "-Xshare:on",
        "-XX:SharedArchiveFile=" + lib.resolve("jflannel-agent-all.jsa"),
        "-cp",
        lib.resolve("jflannel-agent-all.jar").toString(),
        main,
        "--version");
  }
}
