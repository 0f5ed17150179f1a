package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's code path with --once, per backend: every pair reachable, nothing left behind. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoIT {
  @ParameterizedTest
  @ValueSource(strings = {"vxlan", "host-gw", "udp"})
  void demoOnceSucceedsAndCleansUp(String backend) {
    String netnsBefore = Cmd.ok("ip", "netns", "list");
    String linksBefore = Cmd.ok("ip", "-o", "link", "show");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Demo.create(new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(new String[] {"--backend", backend, "--once"});
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains("[6/6] packet path", "OK: 0 pairs unreachable")
        .doesNotContain("FAIL");
    assertThat(text.lines().filter(l -> l.contains(" ok ")).count()).isEqualTo(6);
    assertThat(text).containsPattern("SUBNET +PUBLIC-IP +BACKEND +VTEP-MAC +EXPIRES +RESERVED");
    assertThat(text).containsPattern("10\\.244\\.\\d+\\.0/24 +198\\.18\\.0\\.11 +" + backend + " ");
    assertThat(Cmd.ok("ip", "netns", "list")).isEqualTo(netnsBefore);
    assertThat(Cmd.ok("ip", "-o", "link", "show").lines().count())
        .isEqualTo(linksBefore.lines().count());
    assertThat(Cmd.run(List.of("pgrep", "-f", "io.jflannel.agent.Jflanneld"), 10).exit())
        .as("no agent left running")
        .isEqualTo(1);
  }

  @Test
  void demoOnAnExistingEtcdUsesItsOwnPrefixAndRemovesItsKeys(@TempDir Path data) throws Exception {
    int port = 23000 + ThreadLocalRandom.current().nextInt(2000);
    String url = "http://127.0.0.1:" + port;
    Process etcd =
        new ProcessBuilder(
                "etcd",
                "--data-dir",
                data.toString(),
                "--listen-client-urls",
                url,
                "--advertise-client-urls",
                url,
                "--listen-peer-urls",
                "http://127.0.0.1:" + (port + 1),
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + (port + 1),
                "--initial-cluster",
                "default=http://127.0.0.1:" + (port + 1))
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("etcd.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Cmd.run(List.of("etcdctl", "--endpoints", url, "endpoint", "health"), 5).exit()
                      == 0);
      Cmd.ok("etcdctl", "--endpoints", url, "put", "/coreos.com/network/config", "someone else's");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit =
          Demo.create(new PrintStream(out, true, StandardCharsets.UTF_8))
              .run(
                  new String[] {
                    "--backend", "host-gw", "--nodes", "2", "--once", "--etcd-endpoints", url
                  });
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(text).isZero();
      assertThat(text).contains("etcd: yours at " + url, "OK: 0 pairs unreachable");
      assertThat(
              Cmd.ok("etcdctl", "--endpoints", url, "get", "--prefix", "/", "--keys-only").strip())
          .as("only the key that was there before")
          .isEqualTo("/coreos.com/network/config");
      assertThat(
              Cmd.ok(
                      "etcdctl",
                      "--endpoints",
                      url,
                      "get",
                      "/coreos.com/network/config",
                      "--print-value-only")
                  .strip())
          .isEqualTo("someone else's");
    } finally {
      Cmd.stop(etcd, true);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--backend=ipsec", "--nodes", "--etcd-endpoints"})
  void badArgumentsGiveExit2(String arg) {
    String[] args =
        arg.equals("--backend=ipsec") ? new String[] {"--backend", "ipsec"} : new String[] {arg};
    assertThat(
            Demo.create(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(args))
        .isEqualTo(2);
  }
}
