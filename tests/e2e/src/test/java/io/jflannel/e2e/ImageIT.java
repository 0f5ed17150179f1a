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
      assertThat(version(tag, "jflanctl"))
          .as("jflanctl in the image, for kubectl exec ... jflanctl status")
          .startsWith("jflanctl 0.1.0");
    } finally {
      Cmd.run(List.of("/usr/bin/docker", "rmi", "-f", tag), 60);
    }
  }

  /** {@code program --version} in a container of the image (no network). */
  static String version(String tag, String program) {
    return Cmd.ok(
        "/usr/bin/docker",
        "run",
        "--rm",
        "--network",
        "none",
        "--entrypoint",
        program,
        tag,
        "--version");
  }
}
