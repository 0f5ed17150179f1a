package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * jflanctl status / peers / diff / reconcile against running agents over their admin sockets: drift
 * made by hand is listed, then repaired.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminIT {
  static final String CONFIG = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
  static NetnsCluster cluster;
  static Node n1;
  static String subnet;

  @BeforeAll
  static void boot() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster = new NetnsCluster(2, jar, CONFIG);
    n1 = cluster.nodes().get(0);
    Files.createDirectories(n1.dir());
    Files.writeString(netConf(), CONFIG); // the ConfigMap's copy of the config, as the DaemonSet's
    for (Node n : cluster.nodes()) {
      n.startAgent( // iptables drift stays until asked to repair
          "--iptables-resync", "3600", "--net-config-path", netConf().toString());
    }
    subnet = n1.awaitSubnet(60_000).replace(".1/24", ".0/24");
    cluster.nodes().get(1).awaitSubnet(60_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(n1.log()).contains("ready:"));
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void statusShowsLeaseBackendPeersAndEtcd() throws Exception {
    Cmd.Result r = n1.jflanctl("status");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains(
            "ready:          yes",
            "subnet:         " + subnet + " of 10.244.0.0/16",
            "backend:        vxlan, MTU 1450",
            "interface:      eth0, public IP " + n1.address(),
            "peers:          1 (3 kernel objects)")
        .containsPattern("state: +READY")
        .containsPattern(
            "etcd: +healthy for [0-9hms]+ \\(" + NetnsCluster.ETCD.replace(".", "\\.") + "\\)")
        .containsPattern("lease expires: +in 2[34]h")
        .doesNotContain("degraded:");
    JsonNode j = new ObjectMapper().readTree(n1.jflanctl("status", "-o", "json").out());
    assertThat(j.path("ready").asBoolean()).isTrue();
    assertThat(j.path("subnet").asText()).isEqualTo(subnet);
    assertThat(Files.readString(n1.log()))
        .as("admin connections log nothing")
        .doesNotContain("Unknown channel option");
    Cmd.Result peers = n1.jflanctl("peers");
    assertThat(peers.out())
        .containsPattern("10\\.244\\.\\d+\\.0/24 +198\\.18\\.0\\.12 +vxlan +[0-9a-f:]{17} yes");
  }

  @Test
  @Order(1)
  void leasesPrintTheSameRowsAsJsonAndAsYaml() throws Exception {
    // the real process: what it print()s must reach stdout before it exits
    JsonNode json = new ObjectMapper().readTree(cluster.jflanctl("leases", "-o", "json"));
    JsonNode yaml =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(cluster.jflanctl("leases", "-o", "yaml"));
    assertThat(json).hasSize(2);
    for (JsonNode rows : List.of(json, yaml)) { // the two runs may be a second apart
      for (JsonNode row : rows) {
        assertThat(row.path("expiresInSeconds").asLong()).isPositive();
        ((com.fasterxml.jackson.databind.node.ObjectNode) row).remove("expiresInSeconds");
      }
    }
    assertThat(yaml).isEqualTo(json);
    assertThat(json.findValuesAsText("subnet")).contains(subnet);
    assertThat(json.get(0).path("lease").path("BackendData").path("VNI").asInt()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void theSocketIsRootOnlyAndHealthIsServing() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(n1.adminSocket())))
        .isEqualTo("rw-------");
    EpollEventLoopGroup g = new EpollEventLoopGroup(1);
    ManagedChannel ch =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(n1.adminSocket().toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(g)
            .usePlaintext()
            .build();
    try {
      var health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(
              health
                  .check(
                      HealthCheckRequest.newBuilder().setService("jflannel.admin.v1.Admin").build())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
    } finally {
      ch.shutdownNow();
      g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }
    Cmd.Result nobody =
        Cmd.run(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "java",
                "-cp",
                System.getProperty("jflannel.agent.jar"),
                "io.jflannel.ctl.Jflanctl",
                "status",
                "--socket=" + n1.adminSocket()),
            60);
    assertThat(nobody.exit()).as(nobody.out()).isEqualTo(6);
    assertThat(nobody.out()).contains("permission denied on " + n1.adminSocket());
  }

  @Test
  @Order(3)
  void diffIsCleanThenListsDriftMadeByHandAndReconcileRepairsIt() {
    Cmd.Result clean = n1.jflanctl("diff");
    assertThat(clean.exit()).as(clean.out()).isZero();
    assertThat(clean.out()).contains("no drift");
    String masq =
        "-s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment flanneld\\ masq -j MASQUERADE --random-fully";
    Cmd.in(n1.ns(), "sh", "-c", "iptables -t nat -D FLANNEL-POSTRTG " + masq);
    Cmd.in(n1.ns(), "iptables", "-A", "FLANNEL-FWD", "-s", "10.9.9.0/24", "-j", "ACCEPT");
    Cmd.Result drift = n1.jflanctl("diff");
    assertThat(drift.exit()).as(drift.out()).isEqualTo(1);
    assertThat(drift.out())
        .contains(
            "missing  iptables   -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4",
            "extra    iptables   -t filter -A FLANNEL-FWD -s 10.9.9.0/24 -j ACCEPT");
    Cmd.Result fixed = n1.jflanctl("reconcile");
    assertThat(fixed.exit()).as(fixed.out()).isZero();
    assertThat(fixed.out()).contains("repaired 2:");
    assertThat(n1.jflanctl("diff").exit()).isZero();
    assertThat(Cmd.in(n1.ns(), "iptables-save", "-t", "nat"))
        .contains("-j MASQUERADE --random-fully");
    assertThat(Cmd.in(n1.ns(), "iptables-save", "-t", "filter")).doesNotContain("10.9.9.0/24");
  }

  @Test
  @Order(4)
  void aKernelObjectDeletedByHandIsRepairedAndDiffIsCleanAgain() {
    String peerRoute =
        Cmd.in(n1.ns(), "ip", "route", "show", "proto", "121").lines().findFirst().orElseThrow();
    String dst = peerRoute.split(" ")[0];
    Cmd.in(n1.ns(), "ip", "neigh", "flush", "dev", "flannel.1", "nud", "permanent");
    Cmd.in(n1.ns(), "ip", "route", "del", dst);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(n1.jflanctl("diff").exit()).isZero());
    assertThat(Cmd.in(n1.ns(), "ip", "route", "show", dst)).contains("dev flannel.1");
    assertThat(n1.jflanctl("status").out())
        .containsPattern("last reconcile: .*\\([1-9]\\d* since start\\)");
  }

  @Test
  @Order(2)
  void metricsSayVersionBackendReadinessAndEtcdLatencyAndOpenMetricsWhenAsked() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Cmd.in(n1.ns(), "curl", "-sf", "http://127.0.0.1:8471/metrics"))
                    .containsPattern(
                        "jflannel_build_info\\{backend=\"vxlan\",version=\"[^\"]+\"\\} 1.0")
                    .contains("jflannel_ready 1.0")
                    .contains("jflannel_network_subnets{family=\"ipv4\"} 255.0")
                    .contains("jflannel_network_subnets_leased{family=\"ipv4\"} 2.0")
                    .containsPattern("jflannel_last_reconcile_timestamp_seconds 1\\.[0-9]+E9")
                    .containsPattern(
                        "jflannel_etcd_request_duration_seconds_count\\{operation=\"list\",result=\"ok\"\\} [1-9]"));
    String open =
        Cmd.in(
            n1.ns(),
            "curl",
            "-sfi",
            "-H",
            "Accept: application/openmetrics-text; version=1.0.0",
            "http://127.0.0.1:8471/metrics");
    assertThat(open).containsIgnoringCase("content-type: application/openmetrics-text");
    assertThat(open.strip()).endsWith("# EOF");
    assertThat(Cmd.in(n1.ns(), "curl", "-sfi", "http://127.0.0.1:8471/metrics"))
        .containsIgnoringCase("content-type: text/plain; version=0.0.4");
  }

  static Path netConf() {
    return n1.dir().resolve("net-conf.json");
  }

  @Test
  @Order(4)
  void anEditedConfigMapThatDiffersFromEtcdIsReportedNotIgnored() throws Exception {
    Files.writeString(
        netConf(), "{\"Network\":\"10.50.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(n1.jflanctl("status").out())
                    .containsPattern("state: +DEGRADED")
                    .contains(
                        "config-file: " + netConf() + " differs from /coreos.com/network/config",
                        "Network 10.244.0.0/16 -> 10.50.0.0/16",
                        "jflanctl config set " + netConf())
                    .contains("ready:          yes"));
    assertThat(cluster.etcdctl("get", "/coreos.com/network/config")).contains("10.244.0.0/16");
    assertThat(Cmd.in(n1.ns(), "curl", "-sf", "http://127.0.0.1:8471/metrics"))
        .contains("jflannel_degraded{area=\"config-file\"} 1.0");
    Files.writeString(netConf(), CONFIG.replace(",", " , ")); // the same config, spelled apart
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(n1.jflanctl("status").out()).containsPattern("state: +READY"));
  }

  @Test
  @Order(4)
  void theLogLevelChangesWithoutARestart() throws Exception {
    long pid = n1.agent().pid();
    assertThat(debugLines()).as("no debug line at --log-level info").isZero();
    Cmd.Result bad = n1.jflanctl("log-level", "chatty");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.out().strip())
        .isEqualTo("jflanctl: agent: log level \"chatty\": choose error, warn, info, debug, trace");
    Cmd.Result debug = n1.jflanctl("log-level", "debug");
    assertThat(debug.exit()).as(debug.out()).isZero();
    assertThat(debug.out()).contains("agent: debug (was info; until the agent restarts)");
    await() // the reconcile loop runs every 2 s and says so at debug
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(n1.log()).contains("DEBUG NodeLoops - reconcile: 1 peers"));
    Cmd.Result info = n1.jflanctl("log-level", "info");
    assertThat(info.out()).contains("agent: info (was debug");
    long atInfo = debugLines();
    Cmd.Result one = n1.jflanctl("log-level", "debug", "io.jflannel.agent.node.NodeLoops");
    assertThat(one.out()).contains("io.jflannel.agent.node.NodeLoops: debug (was info");
    await().atMost(Duration.ofSeconds(10)).until(() -> debugLines() > atInfo + 1);
    String lines = Files.readString(n1.log());
    assertThat(lines.substring(lines.lastIndexOf("set to debug")).lines())
        .filteredOn(l -> l.contains(" DEBUG "))
        .as("only the logger asked for debugs")
        .allMatch(l -> l.contains(" NodeLoops - "));
    Cmd.Result list = n1.jflanctl("log-level");
    assertThat(list.out())
        .containsPattern("ROOT +info")
        .containsPattern("io.jflannel.agent.node.NodeLoops +debug");
    Cmd.Result unknown = n1.jflanctl("log-level", "debug", "io.jflannel.nosuch");
    assertThat(unknown.out()).contains("note: no logger named io.jflannel.nosuch");
    n1.jflanctl("log-level", "info", "io.jflannel.agent.node.NodeLoops");
    assertThat(n1.agent().pid()).isEqualTo(pid);
    assertThat(n1.agent().isAlive()).isTrue();
  }

  private static long debugLines() throws java.io.IOException {
    return Files.readString(n1.log()).lines().filter(l -> l.contains(" DEBUG ")).count();
  }

  @Test
  @Order(5)
  void aStoppedAgentGivesExit7() throws Exception {
    Node n2 = cluster.nodes().get(1);
    n2.stopAgent(false);
    Cmd.Result r = n2.jflanctl("status");
    assertThat(r.exit()).as(r.out()).isEqualTo(7);
    assertThat(r.out()).contains("no admin socket at " + n2.adminSocket());
  }
}
