package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * scripts/image builds the container image from a locally imported base, and the image runs
 * jflanneld.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ImageIT {
  @Test
  void imageBuildsAndRunsVersion() {
    Path root = Path.of(System.getProperty("jflannel.root", "../.."));
    String tag = "jflannel/jflanneld:it-" + ProcessHandle.current().pid();
    try {
      Cmd.Result r =
          Cmd.run(
              List.of(
                  "env", "JFLANNEL_SKIP_BUILD=1", root.resolve("scripts/image").toString(), tag),
              840);
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(r.out()).contains("built " + tag, "jflanneld 0.1.0");
      String entrypoint =
          Cmd.ok("/usr/bin/docker", "image", "inspect", "-f", "{{json .Config.Entrypoint}}", tag);
      assertThat(entrypoint.strip()).isEqualTo("[\"/opt/jflannel/bin/jflanneld\"]");
      assertThat(version(tag, "iptables")).contains("iptables v1.8");
      assertThat(version(tag, "nft")).as("the nftables mode's tool").contains("nftables v1");
      assertThat(version(tag, "jflanctl"))
          .as("jflanctl in the image, for kubectl exec ... jflanctl status")
          .startsWith("jflanctl 0.1.0");
      String lib = "/opt/jflannel/lib/jflannel/";
      assertThat(
              run(
                  tag,
                  List.of(),
                  "java",
                  "-Xshare:on", // fails unless the archive the image build dumped maps
                  "-XX:SharedArchiveFile=" + lib + "jflannel-agent-all.jsa",
                  "-cp",
                  lib + "jflannel-agent-all.jar",
                  "io.jflannel.agent.Jflanneld",
                  "--version"))
          .as("the image's class-data archive fits its runtime and jar")
          .startsWith("jflanneld 0.1.0");
      assertThat(
              run(
                  tag,
                  List.of(),
                  "java",
                  "-Xshare:on",
                  "-XX:SharedArchiveFile=" + lib + "jflannel-agent-all.jsa",
                  "-cp",
                  lib + "jflannel-agent-all.jar",
                  "io.jflannel.ctl.Jflanctl",
                  "--version"))
          .as("the image's class-data archive serves jflanctl too")
          .startsWith("jflanctl 0.1.0");
      installsTheStandardCniPluginsWithoutOverwriting(tag);
    } finally {
      Cmd.run(List.of("/usr/bin/docker", "rmi", "-f", tag), 60);
    }
  }

  /** The DaemonSet's init container: plugins the node lacks copied in, one it has kept. */
  static void installsTheStandardCniPluginsWithoutOverwriting(String tag) {
    Path bin = null;
    try {
      bin = java.nio.file.Files.createTempDirectory("jflannel-cni-bin");
      java.nio.file.Files.writeString(bin.resolve("bridge"), "the node's own bridge plugin");
      String out =
          run(
              tag,
              List.of("-v", bin + ":/host/opt/cni/bin"),
              "/opt/jflannel/bin/install-cni-plugins");
      assertThat(out)
          .contains(
              "kept /host/opt/cni/bin/bridge (already there)",
              "installed /host/opt/cni/bin/host-local",
              "installed /host/opt/cni/bin/portmap",
              "installed /host/opt/cni/bin/loopback");
      assertThat(java.nio.file.Files.readString(bin.resolve("bridge")))
          .isEqualTo("the node's own bridge plugin");
      assertThat(Cmd.ok(bin.resolve("host-local").toString(), "--version"))
          .contains("CNI host-local");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (bin != null) {
        Cmd.run(List.of("rm", "-rf", bin.toString()), 30);
      }
    }
  }

  /** {@code program --version} in a container of the image (no network). */
  static String version(String tag, String program) {
    return run(tag, List.of(), program, "--version");
  }

  /**
   * {@code entrypoint args} in a throw-away container of {@code tag} without network; must succeed.
   */
  static String run(String tag, List<String> options, String entrypoint, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/docker", "run", "--rm"));
    cmd.addAll(List.of("--network", "none"));
    cmd.addAll(options);
    cmd.addAll(List.of("--entrypoint", entrypoint, tag));
    cmd.addAll(List.of(args));
    return Cmd.ok(cmd.toArray(String[]::new));
  }
}
