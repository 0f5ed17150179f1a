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
                  .filter(Files::isRegularFile)
                  .map(p -> p.getFileName().toString())
                  .filter(f -> !f.equals("kustomization.yaml")))
          .containsExactlyInAnyOrderElementsOf(resources);
    }
    assertThat(kust.has("components") || kust.has("generators") || kust.has("secretGenerator"))
        .as("nothing but the listed resources")
        .isFalse();
    for (String r : resources) {
      HasMetadata m = load(r, HasMetadata.class);
      assertThat(m.getMetadata().getName()).as(r).isNotBlank();
      assertThat(m.getKind())
          .as("%s: applying the kustomization never replaces the operator's Secret", r)
          .isNotEqualTo("Secret");
      if (!m.getKind().equals("Namespace")) {
        assertThat(m.getMetadata().getNamespace()).as(r).isEqualTo("kube-jflannel");
      }
    }
  }

  @Test
  void theEtcdSecretIsTheOperatorsAndTheExampleNamesTheOneTheDaemonSetMounts() throws Exception {
    HasMetadata example = load("examples/etcd-tls-secret.yaml", HasMetadata.class);
    assertThat(example.getKind()).isEqualTo("Secret");
    PodSpec pod = load("daemonset.yaml", DaemonSet.class).getSpec().getTemplate().getSpec();
    Volume tls =
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
    assertThat(tls.getSecret().getSecretName()).isEqualTo(example.getMetadata().getName());
    assertThat(Files.readString(K8S.resolve("kustomization.yaml")))
        .contains("examples/etcd-tls-secret.yaml");
  }

  @Test
  void anInitStepWritesTheConfigMapsConfigWhenEtcdHasNoneAndTheAgentComparesIt() throws Exception {
    PodSpec pod = load("daemonset.yaml", DaemonSet.class).getSpec().getTemplate().getSpec();
    Container init =
        pod.getInitContainers().stream()
            .filter(c -> c.getName().equals("init-network-config"))
            .findFirst()
            .orElseThrow();
    Volume netConf =
        pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
    assertThat(netConf.getConfigMap().getName()).isEqualTo("jflannel-cfg");
    assertThat(netConf.getConfigMap().getItems())
        .singleElement()
        .satisfies(i -> assertThat(i.getKey()).isEqualTo("net-conf.json"));
    String mountPath =
        init.getVolumeMounts().stream()
            .filter(m -> m.getName().equals(netConf.getName()))
            .findFirst()
            .orElseThrow()
            .getMountPath();
    String file = mountPath + "/" + netConf.getConfigMap().getItems().get(0).getPath();
    assertThat(init.getCommand())
        .containsExactly("/opt/jflannel/bin/jflanctl", "config", "set", "--if-absent", file);
    Container agent = pod.getContainers().get(0);
    assertThat(init.getEnv()).as("the agent's etcd").isEqualTo(agent.getEnv());
    assertThat(agent.getArgs()).contains("--net-config-path=" + file);
    assertThat(agent.getVolumeMounts())
        .anyMatch(m -> m.getName().equals(netConf.getName()) && m.getMountPath().equals(mountPath));
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
            "the JVM caps of bin/jflanneld plus 96 MiB (class-data archive, the JVM's native"
                + " memory), with the optimizing compiler's larger code cache of a udp node")
        .isGreaterThanOrEqualTo(
            LauncherFlags.capsMiB(LauncherFlags.run(Map.of("JFLANNEL_JIT", "tiered")).flags())
                + 96);
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

  /** The cleanup DaemonSet runs the agent's cleanup with the agent's etcd, CNI dir and paths. */
  @Test
  void theCleanupDaemonSetRunsCleanupWithTheAgentsFlagsAndMounts() throws Exception {
    PodSpec agent = load("daemonset.yaml", DaemonSet.class).getSpec().getTemplate().getSpec();
    DaemonSet ds = load("cleanup/daemonset-cleanup.yaml", DaemonSet.class);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("kube-jflannel");
    assertThat(pod.getHostNetwork()).isTrue();
    Container c = pod.getInitContainers().get(0);
    Container a = agent.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(a.getImage());
    assertThat(c.getArgs()).startsWith("cleanup", "--release-lease");
    assertThat(c.getArgs())
        .as("the agent's CNI dir, where its conflist is")
        .containsAll(a.getArgs().stream().filter(x -> x.startsWith("--cni-conf-dir")).toList());
    assertThat(c.getEnv()).isEqualTo(a.getEnv());
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    Map<String, String> agentMounts =
        a.getVolumeMounts().stream()
            .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
    Map<String, Volume> agentVolumes =
        agent.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    for (String path :
        List.of(
            "/run/flannel",
            "/run/jflannel",
            "/var/lib/jflannel",
            "/etc/cni/net.d",
            "/run/xtables.lock",
            "/etc/jflannel/etcd")) {
      VolumeMount m =
          c.getVolumeMounts().stream()
              .filter(v -> v.getMountPath().equals(path))
              .findFirst()
              .orElseThrow(() -> new AssertionError("cleanup does not mount " + path));
      assertThat(volumes.get(m.getName()))
          .as(path + ": the agent's volume")
          .usingRecursiveComparison()
          .isEqualTo(agentVolumes.get(agentMounts.get(path)));
    }
    JsonNode kust =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(K8S.resolve("cleanup/kustomization.yaml").toFile());
    assertThat(kust.get("resources").get(0).asText()).isEqualTo("daemonset-cleanup.yaml");
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
