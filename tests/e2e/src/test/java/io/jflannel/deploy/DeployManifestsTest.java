package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jflannel.lease.NetworkConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s parsed with the Kubernetes model: security, mounts, probes, and a config the agent
 * accepts.
 */
class DeployManifestsTest {
  static final Path K8S = Path.of(System.getProperty("jflannel.root", "../.."), "deploy", "k8s");

  static <T> T load(String file, Class<T> type) throws Exception {
    try (InputStream in = Files.newInputStream(K8S.resolve(file))) {
      return Serialization.unmarshal(in, type);
    }
  }

  @Test
  void everyManifestParsesAndKustomizationListsThemAll() throws Exception {
    JsonNode kust =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(K8S.resolve("kustomization.yaml").toFile());
    List<String> resources =
        Serialization.jsonMapper().convertValue(kust.get("resources"), List.class);
    try (var files = Files.list(K8S)) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(f -> !f.equals("kustomization.yaml")))
          .containsExactlyInAnyOrderElementsOf(resources);
    }
    for (String r : resources) {
      HasMetadata m = load(r, HasMetadata.class);
      assertThat(m.getMetadata().getName()).as(r).isNotBlank();
      if (!m.getKind().equals("Namespace")) {
        assertThat(m.getMetadata().getNamespace()).as(r).isEqualTo("kube-jflannel");
      }
    }
  }

  @Test
  void daemonSetRunsOnEveryNodeWithOnlyNetAdminAndNetRaw() throws Exception {
    DaemonSet ds = load("daemonset.yaml", DaemonSet.class);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getTolerations())
        .anyMatch(
            t -> "Exists".equals(t.getOperator()) && t.getKey() == null && t.getEffect() == null);
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    Container c = pod.getContainers().get(0);
    var sc = c.getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8471);
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    long limitMi =
        Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue() >> 20;
    long requestMi =
        Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")).longValue() >> 20;
    assertThat(limitMi)
        .as(
            "the JVM caps of bin/jflanneld plus 96 MiB (class-data archive, the JVM's native memory)")
        .isGreaterThanOrEqualTo(LauncherFlags.capsMiB() + 96);
    assertThat(requestMi).as("above the measured RSS with 5000 peers (107 MiB)").isGreaterThan(107);
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("FLANNELD_ETCD_ENDPOINTS"));
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(c.getEnv())
        .as("/metrics on the node's address for a Prometheus in the cluster")
        .noneMatch(e -> e.getName().equals("FLANNELD_HEALTHZ_IP"));
    assertThat(ds.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8471");
    assertThat(c.getArgs()).contains("--cni-conf-dir=/etc/cni/net.d");
  }

  @Test
  void mountsWhatTheAgentAndTheCniInstallerUseAndNothingElse() throws Exception {
    PodSpec pod = load("daemonset.yaml", DaemonSet.class).getSpec().getTemplate().getSpec();
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    Map<String, VolumeMount> mounts =
        pod.getContainers().get(0).getVolumeMounts().stream()
            .collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
    for (String path : List.of("/run/flannel", "/dev/net", "/run/xtables.lock", "/etc/cni/net.d")) {
      VolumeMount m = mounts.get(path);
      assertThat(m).as(path).isNotNull();
      assertThat(volumes.get(m.getName()).getHostPath().getPath()).as(path).isEqualTo(path);
    }
    assertThat(volumes.get(mounts.get("/dev/net").getName()).getHostPath().getType())
        .as("nodes without /dev/net/tun start (only udp needs it)")
        .isEqualTo("DirectoryOrCreate");
    assertThat(mounts).doesNotContainKey("/lib/modules");
    Container init = pod.getInitContainers().get(0);
    assertThat(init.getCommand())
        .containsExactly("/opt/jflannel/bin/install-cni-plugins", "/host/opt/cni/bin");
    VolumeMount bin = init.getVolumeMounts().get(0);
    assertThat(bin.getMountPath()).isEqualTo("/host/opt/cni/bin");
    assertThat(volumes.get(bin.getName()).getHostPath().getPath()).isEqualTo("/opt/cni/bin");
    java.util.Set<String> used = new java.util.HashSet<>();
    pod.getContainers().forEach(c -> c.getVolumeMounts().forEach(m -> used.add(m.getName())));
    pod.getInitContainers().forEach(c -> c.getVolumeMounts().forEach(m -> used.add(m.getName())));
    assertThat(volumes.keySet()).as("no volume nobody mounts").isEqualTo(used);
  }

  @Test
  void theConfigMapsNetworkConfigPassesTheAgentsValidation() throws Exception {
    ConfigMap cm = load("configmap.yaml", ConfigMap.class);
    NetworkConfig c = NetworkConfig.parse(cm.getData().get("net-conf.json"));
    assertThat(c.network().toString()).isEqualTo("10.244.0.0/16");
    assertThat(c.backend().type()).isEqualTo("vxlan");
    assertThat(c.warnings()).isEmpty();
    assertThat(cm.getData())
        .as("the agent writes the CNI config")
        .doesNotContainKey("cni-conf.json");
  }
}
