package io.jflannel.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** jflanctl's etcd commands against a real etcd. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JflanctlIT {
  static GenericContainer<?> etcd;
  static String endpoint;
  String prefix;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    etcd =
        new GenericContainer<>(
                DockerImageName.parse(
                    System.getProperty("jflannel.etcd.image", "local/etcd:3.4.23")))
            .withCommand(
                "--listen-client-urls",
                "http://0.0.0.0:2379",
                "--advertise-client-urls",
                "http://0.0.0.0:2379")
            .withExposedPorts(2379)
            .waitingFor(Wait.forHttp("/health").forPort(2379).forStatusCode(200));
    etcd.start();
    endpoint = "http://" + etcd.getHost() + ":" + etcd.getMappedPort(2379);
  }

  @AfterAll
  static void stop() {
    if (etcd != null) {
      etcd.stop();
    }
  }

  @BeforeEach
  void freshPrefix() {
    prefix = "/ctl/" + System.nanoTime();
  }

  Run ctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    boolean etcdCommand =
        !args[0].equals("docker-opts") && !(args.length > 1 && args[1].equals("validate"));
    if (etcdCommand && all.stream().noneMatch(a -> a.contains("etcd-endpoints"))) {
      all.add("--etcd-endpoints=" + endpoint);
      all.add("--etcd-prefix=" + prefix);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jflanctl.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  static Path file(Path dir, String json) throws Exception {
    return Files.writeString(dir.resolve("net-conf-" + System.nanoTime() + ".json"), json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31}",
        "{\"Network\":\"10.244.0.0/16\",\"EnableNFTables\":\"yes\"}",
        "{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.245.0.0\"}",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"ipsec\"}}",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{}}",
        "not json"
      })
  void configSetRefusesEachInvalidFieldAndWritesNothing(String json, @TempDir Path dir)
      throws Exception {
    Run r = ctl("config", "set", file(dir, json).toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_CONFIG);
    assertThat(r.err().strip().lines())
        .hasSize(1)
        .allMatch(l -> l.startsWith("jflanctl: invalid network config: "));
    Run get = ctl("config", "get");
    assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(get.err().strip()).isEqualTo("jflanctl: no network config at " + prefix + "/config");
  }

  @Test
  void configSetGetAndValidate(@TempDir Path dir) throws Exception {
    Path f = file(dir, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    Run v = ctl("config", "validate", f.toString());
    assertThat(v.out().strip())
        .isEqualTo(
            "valid: 10.244.0.0/16, 255 subnets of /24 from 10.244.1.0/24 to 10.244.255.0/24, backend host-gw");
    Run bad =
        ctl(
            "config",
            "validate",
            file(
                    dir,
                    "{\"Network\":\"10.244.0.0/16\",\"SubnetLen\":31,\"Backend\":{\"Type\":\"x\"}}")
                .toString());
    assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID_CONFIG);
    assertThat(bad.err().lines()).hasSize(2);
    assertThat(ctl("config", "set", f.toString()).exit()).isZero();
    assertThat(ctl("config", "get").out().strip())
        .isEqualTo("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
  }

  /** The DaemonSet's init step: the ConfigMap's config goes in only where etcd has none. */
  @Test
  void configSetIfAbsentWritesOnceAndThenKeepsEtcdsConfig(@TempDir Path dir) throws Exception {
    String first = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
    Run created = ctl("config", "set", "--if-absent", file(dir, first).toString());
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).startsWith("network config written to " + prefix + "/config");
    assertThat(ctl("config", "get").out().strip()).isEqualTo(first);
    Path same = file(dir, "{ \"Backend\": {\"Type\": \"vxlan\"}, \"Network\": \"10.244.0.0/16\" }");
    Run again = ctl("config", "set", "--if-absent", same.toString());
    assertThat(again.exit()).isZero();
    assertThat(again.out().strip())
        .isEqualTo("network config kept: " + prefix + "/config exists (the same as " + same + ")");
    Path other = file(dir, "{\"Network\":\"10.50.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    Run differs = ctl("config", "set", "--if-absent", other.toString());
    assertThat(differs.exit()).isZero();
    assertThat(differs.out())
        .contains(
            "network config kept",
            "it differs from " + other,
            "Network 10.244.0.0/16 -> 10.50.0.0/16",
            "Backend");
    assertThat(ctl("config", "get").out().strip()).as("never replaced").isEqualTo(first);
    Run invalid = ctl("config", "set", "--if-absent", file(dir, "{\"Network\":1}").toString());
    assertThat(invalid.exit()).isEqualTo(ExitCodes.INVALID_CONFIG);
  }

  /** flannel's own examples (lease-store's flannel-configs): what the agent says, jflanctl says. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "kube-flannel-net-conf.json",
        "configuration-md-udp.json",
        "backends-md-vxlan.json",
        "backends-md-vxlan-windows-options.json",
        "backends-md-host-gw.json",
        "backends-md-udp.json",
        "backends-md-alloc.json",
        "no-backend.json"
      })
  void configValidateAcceptsFlannelsExamplesWithTheAgentsWarnings(String name) throws Exception {
    Path f =
        Path.of(System.getProperty("jflannel.root", ".."))
            .resolve("lease-store/src/test/resources/flannel-configs")
            .resolve(name);
    io.jflannel.lease.NetworkConfig agent =
        io.jflannel.backend.NetworkConfigs.parse(Files.readString(f));
    Run r = ctl("config", "validate", f.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("valid: " + agent.network() + ", ")
        .contains("backend " + agent.backend().type());
    assertThat(r.err().lines().toList())
        .containsExactlyElementsOf(
            agent.warnings().stream().map(w -> "jflanctl: warning: " + w).toList());
  }

  @Test
  void etcdFlagsMayComeBeforeTheSubcommandAsWithEtcdctl(@TempDir Path dir) throws Exception {
    Path f = file(dir, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
    assertThat(
            ctl(
                    "--etcd-endpoints=" + endpoint,
                    "--etcd-prefix",
                    prefix,
                    "config",
                    "set",
                    f.toString())
                .exit())
        .isZero();
    Run r = ctl("-etcd-endpoints=" + endpoint, "-etcd-prefix=" + prefix, "config", "get");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("10.244.0.0/16");
  }

  @Test
  void leasesTableIsGoldenAndJsonAndYamlParseBack(@TempDir Path dir) throws Exception {
    assertThat(
            ctl(
                    "config",
                    "set",
                    file(dir, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\"}}")
                        .toString())
                .exit())
        .isZero();
    assertThat(ctl("reserve", "10.244.9.0/24", "--public-ip", "198.18.0.9").exit()).isZero();
    assertThat(ctl("reserve", "10.244.10.0/24", "--public-ip", "198.18.0.10").exit()).isZero();
    assertThat(ctl("reserve", "10.244.2.0/24", "--public-ip", "198.18.0.2").exit()).isZero();
    try (var r =
        io.jflannel.lease.etcd.EtcdLeaseRegistry.connect(
            io.jflannel.lease.etcd.EtcdOptions.builder()
                .endpoints(List.of(endpoint))
                .prefix(prefix)
                .build())) {
      r.createLease(
          io.jflannel.net.Ipv4Net.parse("10.244.20.0/24"),
          io.jflannel.lease.LeaseAttrs.fromJson(
              "{\"PublicIP\":\"198.18.0.20\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}"),
          null);
    }
    Run t = ctl("leases");
    assertThat(t.exit()).isZero();
    assertThat(t.out())
        .isEqualTo(
            String.join(
                "\n",
                "SUBNET             PUBLIC-IP       BACKEND  VTEP-MAC          EXPIRES    RESERVED STATUS",
                "10.244.2.0/24      198.18.0.2      udp      -                 -          yes      ok",
                "10.244.9.0/24      198.18.0.9      udp      -                 -          yes      ok",
                "10.244.10.0/24     198.18.0.10     udp      -                 -          yes      ok",
                "10.244.20.0/24     198.18.0.20     host-gw  -                 -          yes      REJECTED:"
                    + " backend host-gw does not match the network's udp",
                ""));
    JsonNode json = new ObjectMapper().readTree(ctl("leases", "-o", "json").out());
    assertThat(json).hasSize(4);
    assertThat(json.get(3).path("rejected").asText())
        .isEqualTo("backend host-gw does not match the network's udp");
    assertThat(json.get(1).path("subnet").asText()).isEqualTo("10.244.9.0/24");
    assertThat(json.get(1).path("lease").toString())
        .isEqualTo("{\"PublicIP\":\"198.18.0.9\",\"PublicIPv6\":null}");
    JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(ctl("leases", "-o", "yaml").out());
    assertThat(yaml).isEqualTo(json);
    assertThat(ctl("leases", "-o", "xml").exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void liveLeasesShowWhenTheyExpire() throws Exception {
    try (var r =
        io.jflannel.lease.etcd.EtcdLeaseRegistry.connect(
            io.jflannel.lease.etcd.EtcdOptions.builder()
                .endpoints(List.of(endpoint))
                .prefix(prefix)
                .build())) {
      r.createLease(
          io.jflannel.net.Ipv4Net.parse("10.244.3.0/24"),
          io.jflannel.lease.LeaseAttrs.fromJson(
              "{\"PublicIP\":\"198.18.0.3\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"c6:d2:32:6f:8f:44\"}}"),
          java.time.Duration.ofHours(24));
    }
    assertThat(ctl("leases").out())
        .containsPattern(
            "10\\.244\\.3\\.0/24 +198\\.18\\.0\\.3 +vxlan +c6:d2:32:6f:8f:44 +in 2[34]h\\d*m? +no +ok");
  }

  @Test
  void reserveUnreserveAndEvict() {
    assertThat(ctl("reserve", "10.244.7.0/24", "--public-ip", "198.18.0.7").out())
        .contains("reserved 10.244.7.0/24 for 198.18.0.7");
    Run again = ctl("reserve", "10.244.7.0/24", "--public-ip", "198.18.0.8");
    assertThat(again.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(again.err().strip().lines())
        .containsExactly(
            "jflanctl: warning: no network config in etcd: 10.244.7.0/24 is not checked",
            "jflanctl: 10.244.7.0/24 is already leased to 198.18.0.7");
    assertThat(ctl("unreserve", "10.244.7.0/24").exit()).isZero();
    assertThat(ctl("lease", "delete", "10.244.7.0/24").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    Run syntax = ctl("reserve", "10.244.7.1/24", "--public-ip", "198.18.0.7");
    assertThat(syntax.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(syntax.err().strip()).startsWith("jflanctl: invalid CIDR \"10.244.7.1/24\"");
  }

  /**
   * The STATUS column applies exactly the agents' rules: the backend's data checks (VNI, unicast
   * VtepMAC) and the conflict rule (the older lease keeps a subnet or VtepMAC both claim).
   */
  @Test
  void leasesSayWhyEveryAgentRejectsALeaseConflictsIncluded(@TempDir Path dir) throws Exception {
    assertThat(
            ctl(
                    "config",
                    "set",
                    file(dir, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")
                        .toString())
                .exit())
        .isZero();
    String v =
        "{\"PublicIP\":\"%s\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":%d,\"VtepMAC\":\"%s\"}}";
    try (var r =
        io.jflannel.lease.etcd.EtcdLeaseRegistry.connect(
            io.jflannel.lease.etcd.EtcdOptions.builder()
                .endpoints(List.of(endpoint))
                .prefix(prefix)
                .build())) {
      java.util.function.BiConsumer<String, String> put =
          (key, json) ->
              r.createLease(
                  io.jflannel.lease.SubnetKey.parse(key),
                  io.jflannel.lease.LeaseAttrs.fromJson(json),
                  java.time.Duration.ofHours(1));
      put.accept("10.244.3.0-24", String.format(v, "198.18.0.3", 1, "aa:bb:cc:00:00:03"));
      put.accept("10.244.4.0-24", String.format(v, "198.18.0.4", 7, "aa:bb:cc:00:00:04"));
      put.accept("10.244.5.0-24", String.format(v, "198.18.0.5", 1, "ff:ff:ff:ff:ff:ff"));
      put.accept("10.244.6.0-24", String.format(v, "198.18.0.6", 1, "aa:bb:cc:00:00:03"));
      put.accept(
          "10.244.3.0-24&fc00:0:0:99::-64", String.format(v, "198.18.0.9", 1, "aa:bb:cc:00:00:09"));
    }
    String t = ctl("leases").out();
    assertThat(t)
        .containsPattern("10\\.244\\.3\\.0/24 +198\\.18\\.0\\.3 .* ok\\n")
        .contains("REJECTED: BackendData.VNI 7 is not this network's 1")
        .contains("REJECTED: BackendData.VtepMAC ff:ff:ff:ff:ff:ff is not a unicast MAC")
        .contains(
            "REJECTED: conflict: VtepMAC aa:bb:cc:00:00:03 is held by the older lease"
                + " 10.244.3.0-24 (198.18.0.3)")
        .contains(
            "REJECTED: conflict: IPv4 subnet 10.244.3.0/24 is held by the older lease"
                + " 10.244.3.0-24 (198.18.0.3)");
  }

  @Test
  void reserveRefusesASubnetNoNodeCouldUse(@TempDir Path dir) throws Exception {
    assertThat(
            ctl(
                    "config",
                    "set",
                    file(dir, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")
                        .toString())
                .exit())
        .isZero();
    for (String[] bad :
        new String[][] {
          {
            "10.245.7.0/24",
            "198.18.0.7",
            "subnet 10.245.7.0/24 is outside the network 10.244.0.0/16"
          },
          {"10.244.7.0/25", "198.18.0.7", "subnet 10.244.7.0/25 is not a /24"},
          {"10.244.7.0/24", "10.244.9.9", "PublicIP 10.244.9.9 is inside the cluster network"}
        }) {
      Run r = ctl("reserve", bad[0], "--public-ip", bad[1]);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip().lines()).hasSize(1);
      assertThat(r.err()).contains(bad[2]).contains("nothing written");
    }
    assertThat(ctl("leases").out().strip().lines()).as("nothing written").hasSize(1);
  }

  /** The etcd flags come from FLANNELD_* variables too, for every subcommand (a process). */
  @Test
  void etcdFlagsComeFromFlanneldVariables(@TempDir Path dir) throws Exception {
    assertThat(
            ctl(
                    "config",
                    "set",
                    file(dir, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}")
                        .toString())
                .exit())
        .isZero();
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Jflanctl.class.getName(),
                "config",
                "get")
            .redirectErrorStream(true);
    pb.environment().put("FLANNELD_ETCD_ENDPOINTS", "http://127.0.0.1:1," + endpoint);
    pb.environment().put("FLANNELD_ETCD_PREFIX", prefix);
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("10.244.0.0/16");
  }

  @Test
  void unreachableEtcdIsOneLineAndExit3() {
    Run r = ctl("leases", "--etcd-endpoints=http://127.0.0.1:1");
    assertThat(r.exit()).isEqualTo(ExitCodes.ETCD_UNREACHABLE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("jflanctl: list /coreos.com/network/subnets/: ")
        .doesNotContain("\tat ");
  }

  @Test
  void dockerOptsFromSubnetEnv(@TempDir Path dir) throws Exception {
    Path env =
        Files.writeString(
            dir.resolve("subnet.env"),
            "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    assertThat(ctl("docker-opts", "--subnet-file", env.toString()).out().strip())
        .isEqualTo("--bip=10.244.1.1/24 --ip-masq=false --mtu=1450");
    assertThat(ctl("docker-opts", "--subnet-file", env.toString(), "--env").out().strip())
        .isEqualTo("DOCKER_OPTS=\"--bip=10.244.1.1/24 --ip-masq=false --mtu=1450\"");
    Run missing = ctl("docker-opts", "--subnet-file", dir.resolve("none").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  /** etcdctl inside the etcd container; returns stdout. */
  static String etcdctl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints=http://127.0.0.1:2379"));
    cmd.addAll(List.of(args));
    var r = etcd.execInContainer(cmd.toArray(String[]::new));
    assertThat(r.getExitCode()).as(r.getStderr()).isZero();
    return r.getStdout();
  }

  static String lease(String ip, String mac) {
    return "{\"PublicIP\":\""
        + ip
        + "\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\""
        + mac
        + "\"}}";
  }

  @Test
  void historyShowsEveryHolderInRevisionOrderAndSaysWhereCompactionCut() throws Exception {
    String key = prefix + "/subnets/10.244.7.0-24";
    etcdctl("put", key, lease("198.18.0.7", "0a:00:00:00:00:07"));
    etcdctl("del", key);
    etcdctl("put", key, lease("198.18.0.8", "0a:00:00:00:00:08"));
    etcdctl("put", prefix + "/subnets/10.244.9.0-24", lease("198.18.0.5", "0a:00:00:00:00:05"));
    etcdctl("put", key, lease("198.18.0.8", "0a:00:00:00:00:88"));
    etcdctl("put", key, lease("198.18.0.9", "0a:00:00:00:00:09"));
    Run h = ctl("leases", "--history", "10.244.7.0/24");
    assertThat(h.exit()).as(h.err()).isZero();
    List<String> rows =
        h.out()
            .lines()
            .skip(2)
            .map(l -> l.replaceAll("^\\d+ +", "").replaceAll(" +", " "))
            .toList();
    assertThat(rows)
        .containsExactly(
            "acquired 10.244.7.0/24 198.18.0.7 vxlan 0a:00:00:00:00:07 none (reserved)",
            "released 10.244.7.0/24 198.18.0.7 vxlan 0a:00:00:00:00:07 none (reserved)",
            "acquired 10.244.7.0/24 198.18.0.8 vxlan 0a:00:00:00:00:08 none (reserved)",
            "updated 10.244.7.0/24 198.18.0.8 vxlan 0a:00:00:00:00:88 none (reserved)",
            "taken over 10.244.7.0/24 198.18.0.9 vxlan 0a:00:00:00:00:09 none (reserved)");
    assertThat(h.out()).startsWith("history of 10.244.7.0/24 (complete");
    String put = etcdctl("put", prefix + "/other", "x", "-w", "json");
    String rev = put.replaceAll("(?s).*\"revision\":(\\d+).*", "$1");
    etcdctl("compact", rev);
    Run after = ctl("leases", "--history", "10.244.7.0/24");
    assertThat(after.out())
        .startsWith(
            "history of 10.244.7.0/24 from revision " + rev + " (older revisions were compacted");
    assertThat(after.out()).contains("(no lease for 10.244.7.0/24 in the history kept)");
  }

  @Test
  void historyOfAnIpv6SubnetFollowsItThroughBothKeyForms() throws Exception {
    String v6only = prefix + "/subnets/0.0.0.0-0&fc00:0:0:7::-64";
    etcdctl(
        "put",
        v6only,
        "{\"PublicIP\":\"0.0.0.0\",\"PublicIPv6\":\"fd00::7\",\"BackendType\":\"host-gw\"}");
    etcdctl("del", v6only);
    etcdctl(
        "put",
        prefix + "/subnets/10.244.8.0-24&fc00:0:0:7::-64",
        "{\"PublicIP\":\"198.18.0.8\",\"PublicIPv6\":\"fd00::8\",\"BackendType\":\"host-gw\"}");
    Run h = ctl("leases", "--history", "fc00:0:0:7::/64");
    assertThat(h.exit()).as(h.err()).isZero();
    assertThat(h.out().lines().skip(2).map(l -> l.replaceAll("^\\d+ +", "").replaceAll(" +", " ")))
        .containsExactly(
            "acquired fc00:0:0:7::/64 fd00::7 host-gw - none (reserved)",
            "released fc00:0:0:7::/64 fd00::7 host-gw - none (reserved)",
            "acquired 10.244.8.0/24,fc00:0:0:7::/64 198.18.0.8,fd00::8 host-gw - none (reserved)");
    Run all = ctl("leases", "-o", "json");
    assertThat(all.out()).contains("\"ipv6Subnet\" : \"fc00:0:0:7::/64\"");
    assertThat(ctl("lease", "delete", "fc00:0:0:7::/64").out())
        .isEqualTo("deleted lease fc00:0:0:7::/64\n");
    assertThat(etcdctl("get", prefix + "/subnets/10.244.8.0-24&fc00:0:0:7::-64")).isBlank();
    assertThat(ctl("lease", "delete", "fc00:0:0:7::/64").exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void watchStreamsChangesAfterTheList() throws Exception {
    ctl("reserve", "10.244.3.0/24", "--public-ip", "198.18.0.3");
    StringWriter out = new StringWriter();
    Thread t =
        new Thread(
            () ->
                Jflanctl.run(
                    new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true),
                    "leases",
                    "--watch",
                    "--etcd-endpoints=" + endpoint,
                    "--etcd-prefix=" + prefix));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("watching"));
      assertThat(out.toString()).contains("10.244.3.0/24");
      etcdctl("put", prefix + "/subnets/10.244.4.0-24", lease("198.18.0.4", "0a:00:00:00:00:04"));
      ctl("unreserve", "10.244.3.0/24");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(out.toString())
                      .containsPattern(
                          "\\d+ +ADDED +10\\.244\\.4\\.0/24 +198\\.18\\.0\\.4 +vxlan +0a:00:00:00:00:04")
                      .containsPattern("\\d+ +REMOVED +10\\.244\\.3\\.0/24 +198\\.18\\.0\\.3"));
    } finally {
      t.interrupt();
      t.join(5000);
    }
    assertThat(t.isAlive()).as("stops when interrupted").isFalse();
  }
}
