package io.jflannel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** jflanneld as a process: exit codes and one-line errors, flags from FLANNELD_* variables. */
class JflanneldTest {
  record Run(int exit, String out, String err) {}

  static Run jflanneld(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Jflanneld.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // never the host's state directory, subnet.env or admin socket: a run that gets past its flags
    // takes the node lock and may write
    Path scratch = Files.createTempDirectory("jflanneld-test");
    pb.environment().put("FLANNELD_STATE_DIR", scratch.resolve("state").toString());
    pb.environment().put("FLANNELD_SUBNET_FILE", scratch.resolve("subnet.env").toString());
    pb.environment().put("FLANNELD_ADMIN_SOCKET", scratch.resolve("admin.sock").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Runtime.getRuntime()
        .exec(new String[] {"rm", "-rf", scratch.toString()})
        .waitFor(10, TimeUnit.SECONDS);
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void versionAndHelp() throws Exception {
    assertThat(jflanneld(Map.of(), "--version").out()).startsWith("jflanneld ");
    Run help = jflanneld(Map.of(), "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains(
            "--etcd-endpoints",
            "--iface",
            "--subnet-lease-renew-margin",
            "--healthz-port",
            "--state-dir");
  }

  @Test
  void flanneldsSingleDashSpellingsAreFlagsAsForFlanneld() throws Exception {
    Run r =
        jflanneld(
            Map.of(),
            "-iface=nonexistent9",
            "-ip-masq",
            "-etcd-endpoints",
            "http://127.0.0.1:1",
            "-healthz-port=0",
            "-v=2",
            "-kube-api-url=https://x",
            "-iface-can-reach=198.18.0.1",
            "-ip-masq-fully-random-disable",
            "-ip-blackhole-route");
    assertThat(r.err().strip())
        .as("parsed, and stopped at the interface as it should")
        .endsWith(
            "jflanneld: interface: no interface matches --iface [nonexistent9] / --iface-regex []");
    assertThat(r.exit()).isEqualTo(1);
    Run kube = jflanneld(Map.of(), "-kube-subnet-mgr");
    assertThat(kube.exit()).isEqualTo(2);
    assertThat(kube.err().strip())
        .isEqualTo(
            "jflanneld: --kube-subnet-mgr: flanneld's Kubernetes subnet manager is not supported;"
                + " jflanneld runs in etcd mode (--etcd-endpoints)");
  }

  @Test
  void anUnusableEtcdKeyIsOneLineAndExit2(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("client.key"),
            "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n");
    Path cert = Files.writeString(dir.resolve("client.crt"), "x");
    Run r = jflanneld(Map.of(), "-etcd-certfile=" + cert, "-etcd-keyfile=" + key);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "jflanneld: etcd TLS key "
                + key
                + " holds no private key (found DSA PRIVATE KEY; want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  @Test
  void badFlagsGiveOneLineAndExit2() throws Exception {
    Run r = jflanneld(Map.of(), "--healthz-port", "many");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("jflanneld: Invalid value for option '--healthz-port': 'many' is not an int");
    Run port = jflanneld(Map.of(), "--healthz-port", "70000");
    assertThat(port.err().strip()).isEqualTo("jflanneld: --healthz-port 70000 is not a port");
  }

  @Test
  void badEtcdEndpointsAreOneLineAndExit2AndEveryGoodFormGetsPast() throws Exception {
    Run r = jflanneld(Map.of(), "--etcd-endpoints=http://fd00::250:2379");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "jflanneld: etcd endpoint \"http://fd00::250:2379\": an IPv6 address goes in brackets:"
                + " http://[fd00::250:2379]");
    Run env = jflanneld(Map.of("FLANNELD_ETCD_ENDPOINTS", "etcd:2379"));
    assertThat(env.exit()).isEqualTo(2);
    assertThat(env.err().strip())
        .isEqualTo("jflanneld: etcd endpoint \"etcd:2379\": must start with http:// or https://");
    // the bracketed form and a list are taken: the start goes on to the interface
    Run ok =
        jflanneld(
            Map.of("FLANNELD_IFACE", "nonexistent9", "FLANNELD_HEALTHZ_PORT", "0"),
            "--etcd-endpoints=http://[fd00:198::250]:2379,http://[::1]:2379");
    assertThat(ok.err().strip()).startsWith("jflanneld: interface: no interface matches");
  }

  @Test
  void masqueradeExclusionsAreCidrsOfEitherFamilyFromFlagOrEnvironment() throws Exception {
    var flag =
        Jflanneld.parse(
            Map.of(),
            "--ip-masq",
            "--ip-masq-exclude=198.18.0.0/24,fd00:198:18::/64,198.18.0.0/24");
    assertThat(flag.firewall().masqExclude())
        .extracting(Object::toString)
        .containsExactly("198.18.0.0/24", "fd00:198:18::/64");
    assertThat(flag.firewall().masqExclude(io.jflannel.net.IpNet.parse("10.244.0.0/16")))
        .extracting(Object::toString)
        .containsExactly("198.18.0.0/24");
    var env = Jflanneld.parse(Map.of("FLANNELD_IP_MASQ_EXCLUDE", "172.16.0.0/12, 203.0.113.7/32"));
    assertThat(env.firewall().masqExclude())
        .extracting(Object::toString)
        .containsExactly("172.16.0.0/12", "203.0.113.7/32");
    assertThat(Jflanneld.parse(Map.of()).firewall().masqExclude()).isEmpty();
    Run bad = jflanneld(Map.of(), "--ip-masq-exclude=198.18.0.5/24");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip().lines()).hasSize(1);
    assertThat(bad.err().strip())
        .startsWith("jflanneld: --ip-masq-exclude: ")
        .contains("198.18.0.5/24");
    Run word = jflanneld(Map.of("FLANNELD_IP_MASQ_EXCLUDE", "vpc"));
    assertThat(word.exit()).isEqualTo(2);
    assertThat(word.err().strip())
        .isEqualTo("jflanneld: --ip-masq-exclude: not a CIDR (no /prefix): \"vpc\"");
  }

  @Test
  void cleanupIsTheOnlyCommandAndItsFlagsGoWithIt(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Run bogus = jflanneld(Map.of(), "clean");
    assertThat(bogus.exit()).isEqualTo(2);
    assertThat(bogus.err().strip())
        .isEqualTo("jflanneld: unknown command \"clean\" (jflanneld takes flags, or cleanup)");
    Run alone = jflanneld(Map.of(), "--dry-run");
    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err().strip())
        .isEqualTo("jflanneld: --release-lease and --dry-run go with cleanup");
    // a node that never ran an agent: nothing to remove, and nothing made by looking
    Path state = dir.resolve("state");
    Run dry =
        jflanneld(
            Map.of("FLANNELD_STATE_DIR", state.toString()),
            "cleanup",
            "--dry-run",
            "--subnet-file=" + dir.resolve("subnet.env"),
            "--admin-socket=" + dir.resolve("admin.sock"));
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).doesNotContain("would remove state directory", "subnet.env");
    assertThat(state).doesNotExist();
  }

  @Test
  void flagsAreReadFromTheEnvironmentAndAMissingInterfaceIsOneLine() throws Exception {
    Run r = jflanneld(Map.of("FLANNELD_IFACE", "nonexistent9", "FLANNELD_HEALTHZ_PORT", "0"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "jflanneld: interface: no interface matches --iface [nonexistent9] / --iface-regex []");
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void unreadableSecretsAreRefused() throws Exception {
    Run r = jflanneld(Map.of(), "--etcd-password-file", "/nonexistent/pw");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("jflanneld: --etcd-password-file /nonexistent/pw is not readable");
  }

  @Test
  void logFlagsAreCheckedAndJsonLogsAreOneObjectPerLine() throws Exception {
    Run bad = jflanneld(Map.of(), "--log-format", "xml");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip()).isEqualTo("jflanneld: --log-format xml: choose text or json");
    assertThat(jflanneld(Map.of(), "--log-level", "loud").err().strip())
        .isEqualTo("jflanneld: --log-level loud: choose error, warn, info, debug");
    // a real start in a namespace of its own (loopback only), until its first log line
    Path state = Files.createTempDirectory("jflanneld-log");
    Process p =
        new ProcessBuilder(
                "unshare",
                "--net",
                "sh",
                "-c",
                "ip link set lo up && exec \"$0\" \"$@\"",
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Jflanneld.class.getName(),
                "--iface=lo",
                "--log-format=json",
                "--healthz-port=0",
                "--admin-socket=",
                "--state-dir=" + state,
                "--subnet-file=" + state.resolve("subnet.env"))
            .start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))
              .readLine();
      JsonNode json = new ObjectMapper().readTree(line);
      assertThat(json.path("level").asText()).isEqualTo("INFO");
      assertThat(json.path("loggerName").asText()).isEqualTo("io.jflannel.agent.Agent");
      assertThat(json.path("formattedMessage").asText())
          .startsWith("using interface lo (127.0.0.1") // then lo's IPv6 address, if it has one
          .contains("), public IP 127.0.0.1");
      assertThat(json.path("timestamp").asLong()).isPositive();
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Files.walk(state)
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(f -> f.toFile().delete());
    }
  }
}
