package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jflannel.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: the alert rules pass promtool's check and their unit tests (one fires-and-
 * stays-silent case per alert), the Operator's PrometheusRule holds the same groups, every runbook
 * link lands on a section of docs/troubleshooting.md, and the dashboard, PodMonitor and scrape
 * configs point at what the agent serves.
 */
class MonitoringRulesTest {
  static final Path ROOT = Path.of(System.getProperty("jflannel.root", "../.."));
  static final Path MON = ROOT.resolve("deploy/monitoring");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Cmd.Result promtool(String... args) {
    if (!Files.isExecutable(Path.of("/usr/bin/promtool"))) {
      throw new IllegalStateException(
          "promtool not found: install Debian's prometheus package (./scripts/prepare-host does)");
    }
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/promtool"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd, 60);
  }

  @Test
  void rulesPassPromtoolsCheckAndEveryAlertHasUnitTests() throws Exception {
    Cmd.Result check = promtool("check", "rules", MON.resolve("rules.yaml").toString());
    assertThat(check.exit()).as(check.out()).isZero();
    Cmd.Result test = promtool("test", "rules", MON.resolve("rules.test.yaml").toString());
    assertThat(test.exit()).as(test.out()).isZero();
    assertThat(test.out()).contains("SUCCESS");
    Set<String> alerts = alerts(YAML.readTree(MON.resolve("rules.yaml").toFile()));
    assertThat(alerts)
        .contains(
            "JflannelAgentNotReady",
            "JflannelDegraded",
            "JflannelLeaseExpiringSoon",
            "JflannelEtcdUnreachable",
            "JflannelLeasesRejected",
            "JflannelRepairsRepeating",
            "JflannelConfigChangeRefused",
            "JflannelUdpDrops");
    String tests = Files.readString(MON.resolve("rules.test.yaml"));
    for (String a : alerts) {
      assertThat(tests).as("a unit test for " + a).contains("alertname: " + a + "\n");
    }
  }

  @Test
  void theOperatorsRuleHoldsTheSameGroupsAndEveryRunbookLinkLands() throws Exception {
    JsonNode rules = YAML.readTree(MON.resolve("rules.yaml").toFile());
    JsonNode cr = YAML.readTree(MON.resolve("prometheusrule.yaml").toFile());
    assertThat(cr.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(cr.path("spec").path("groups")).isEqualTo(rules.path("groups"));
    Set<String> anchors = new TreeSet<>();
    Matcher h =
        Pattern.compile("(?m)^## ([a-z0-9-]+)$")
            .matcher(Files.readString(ROOT.resolve("docs/troubleshooting.md")));
    while (h.find()) {
      anchors.add(h.group(1));
    }
    for (JsonNode r : rules.path("groups").get(0).path("rules")) {
      String url = r.path("annotations").path("runbook_url").asText();
      assertThat(url).as(r.path("alert").asText()).contains("docs/troubleshooting.md#");
      assertThat(anchors).contains(url.substring(url.indexOf('#') + 1));
      assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
    }
  }

  @Test
  void thePodMonitorScrapesTheDaemonSetsHealthPortAsJobJflannel() throws Exception {
    JsonNode pm = YAML.readTree(MON.resolve("podmonitor.yaml").toFile());
    JsonNode ds = YAML.readTree(ROOT.resolve("deploy/k8s/daemonset.yaml").toFile());
    JsonNode labels = ds.path("spec").path("template").path("metadata").path("labels");
    pm.path("spec")
        .path("selector")
        .path("matchLabels")
        .fields()
        .forEachRemaining(e -> assertThat(labels.path(e.getKey())).isEqualTo(e.getValue()));
    assertThat(labels.path(pm.path("spec").path("jobLabel").asText()).asText())
        .as("job label value")
        .isEqualTo("jflannel");
    String port = pm.path("spec").path("podMetricsEndpoints").get(0).path("port").asText();
    JsonNode ports =
        ds.path("spec").path("template").path("spec").path("containers").get(0).path("ports");
    assertThat(ports.findValuesAsText("name")).contains(port);
    JsonNode kust = YAML.readTree(MON.resolve("kustomization.yaml").toFile());
    assertThat(kust.path("kind").asText()).isEqualTo("Component");
    for (JsonNode r : kust.path("resources")) {
      assertThat(MON.resolve(r.asText())).exists();
    }
    for (String f : List.of("scrape-config.yaml", "scrape-config-hosts.yaml")) {
      JsonNode sc = YAML.readTree(MON.resolve(f).toFile()).path("scrape_configs").get(0);
      assertThat(sc.path("job_name").asText()).as(f).isEqualTo("jflannel");
      assertThat(sc.path("metrics_path").asText()).as(f).isEqualTo("/metrics");
    }
  }

  @Test
  void everyDashboardQueryIsOfTheJflannelJob() throws Exception {
    JsonNode d = new ObjectMapper().readTree(MON.resolve("grafana-dashboard.json").toFile());
    int queries = 0;
    for (JsonNode p : d.path("panels")) {
      for (JsonNode t : p.path("targets")) {
        assertThat(t.path("expr").asText())
            .as(p.path("title").asText())
            .contains("job=\"jflannel\"");
        queries++;
      }
    }
    assertThat(queries).isGreaterThanOrEqualTo(15);
  }

  static Set<String> alerts(JsonNode rules) {
    Set<String> out = new TreeSet<>();
    for (JsonNode g : rules.path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.has("alert")) {
          out.add(r.path("alert").asText());
        }
      }
    }
    return out;
  }
}
