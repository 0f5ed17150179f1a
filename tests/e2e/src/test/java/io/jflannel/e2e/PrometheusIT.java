package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus (Debian's) on the outside host of a 3-node udp cluster, with the shipped scrape
 * config for hosts and the shipped rules: every query of the dashboard and every alert expression
 * evaluates without error, every dashboard panel returns data, and the etcd alert goes to firing in
 * Prometheus's own /api/v1/alerts when etcd stops, and away when it is back. The test scrapes every
 * 2 s and shortens the rules' {@code for:} to 4 s; promtool's unit tests hold the shipped durations
 * (MonitoringRulesTest).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PrometheusIT {
  static final Path MON =
      Path.of(System.getProperty("jflannel.root", "../.."), "deploy/monitoring");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theShippedScrapeConfigRulesAndDashboardWorkOnARealPrometheus() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/prometheus"))) {
      throw new IllegalStateException(
          "/usr/bin/prometheus not found: install Debian's prometheus (./scripts/prepare-host)");
    }
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            3, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"udp\"}}")) {
      List<String> targets = new ArrayList<>();
      Map<Node, String> bips = new LinkedHashMap<>();
      for (Node n : cluster.nodes()) {
        n.startAgent();
        targets.add(n.address() + ":8471");
      }
      for (Node n : cluster.nodes()) {
        bips.put(n, n.awaitSubnet(60_000));
        n.addContainer(bips.get(n), 10);
      }
      Path dir = Files.createTempDirectory("jflannel-prom");
      Process prom = startPrometheus(cluster.externalNamespace(), dir, targets);
      try {
        String ext = cluster.externalNamespace();
        // traffic through the udp backend, for its panels
        Node n1 = cluster.nodes().get(0);
        String peer = bips.get(cluster.nodes().get(1)).replace(".1/24", ".10");
        Cmd.runIn(n1.containers().get(0), 30, "ping", "-c", "20", "-i", "0.2", peer);
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(query(ext, "sum(jflannel_ready{job=\"jflannel\"})"))
                        .as("all three scraped and ready")
                        .contains("\"3\""));
        Thread.sleep(8000); // a few scrapes more: rates need two samples in their window
        JsonNode dash = JSON.readTree(MON.resolve("grafana-dashboard.json").toFile());
        int panels = 0;
        for (JsonNode p : dash.path("panels")) {
          for (JsonNode t : p.path("targets")) {
            String q =
                t.path("expr").asText().replace("$node", ".*").replace("$__rate_interval", "30s");
            JsonNode r = JSON.readTree(query(ext, q));
            assertThat(r.path("status").asText()).as(q + ": " + r).isEqualTo("success");
            assertThat(r.path("data").path("result").size())
                .as("panel %s returns data: %s", p.path("title").asText(), q)
                .isPositive();
            panels++;
          }
        }
        assertThat(panels).isGreaterThanOrEqualTo(15);
        for (String expr : alertExpressions()) {
          JsonNode r = JSON.readTree(query(ext, expr));
          assertThat(r.path("status").asText()).as(expr + ": " + r).isEqualTo("success");
        }
        assertThat(alerts(ext)).doesNotContain("JflannelEtcdUnreachable");
        cluster.stopEtcd();
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(alerts(ext))
                        .contains("\"alertname\":\"JflannelEtcdUnreachable\"")
                        .contains("\"state\":\"firing\""));
        cluster.startEtcd();
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(alerts(ext)).doesNotContain("JflannelEtcdUnreachable"));
      } finally {
        prom.destroy();
        if (!prom.waitFor(10, TimeUnit.SECONDS)) {
          prom.destroyForcibly();
        }
        Cmd.run(List.of("rm", "-rf", dir.toString()), 30);
      }
    }
  }

  /** Prometheus with the shipped host scrape config and rules, scraping every 2 s. */
  private static Process startPrometheus(String ns, Path dir, List<String> targets)
      throws Exception {
    Files.writeString(
        dir.resolve("targets.json"), JSON.writeValueAsString(List.of(Map.of("targets", targets))));
    ObjectNode rules = (ObjectNode) YAML.readTree(MON.resolve("rules.yaml").toFile());
    for (JsonNode r : rules.path("groups").get(0).path("rules")) {
      if (r.has("for")) {
        ((ObjectNode) r).put("for", "4s");
      }
    }
    YAML.writeValue(dir.resolve("rules.yaml").toFile(), rules);
    ObjectNode config =
        (ObjectNode) YAML.readTree(MON.resolve("scrape-config-hosts.yaml").toFile());
    ObjectNode job = (ObjectNode) config.path("scrape_configs").get(0);
    job.put("scrape_interval", "2s");
    ArrayNode files = (ArrayNode) job.path("file_sd_configs").get(0).path("files");
    files.removeAll().add(dir.resolve("targets.json").toString());
    config.putObject("global").put("evaluation_interval", "2s").put("scrape_interval", "2s");
    config.putArray("rule_files").add(dir.resolve("rules.yaml").toString());
    YAML.writeValue(dir.resolve("prometheus.yml").toFile(), config);
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "/usr/bin/prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:9090")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Cmd.runIn(ns, 5, "curl", "-sf", "http://127.0.0.1:9090/-/ready").exit() == 0
                    || !p.isAlive());
    assertThat(p.isAlive()).as(Files.readString(dir.resolve("prometheus.log"))).isTrue();
    return p;
  }

  private static List<String> alertExpressions() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode r :
        YAML.readTree(MON.resolve("rules.yaml").toFile()).path("groups").get(0).path("rules")) {
      out.add(r.path("expr").asText());
    }
    return out;
  }

  private static String query(String ns, String q) {
    return Cmd.runIn(
            ns,
            10,
            "curl",
            "-sf",
            "http://127.0.0.1:9090/api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))
        .out();
  }

  private static String alerts(String ns) {
    return Cmd.runIn(ns, 10, "curl", "-sf", "http://127.0.0.1:9090/api/v1/alerts").out();
  }
}
