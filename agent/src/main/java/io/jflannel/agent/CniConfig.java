package io.jflannel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jflannel.lease.AtomicFile;
import io.jflannel.lease.SharedJson;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.net.IpNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI network config a container runtime (kubelet with containerd or CRI-O) reads from {@code
 * --cni-conf-dir}, written by the agent once it holds its lease, atomically, and rewritten when its
 * subnet or MTU changes. In {@code bridge} mode it delegates to the standard plugins (bridge with
 * host-local, then portmap) with this node's subnet, the route to the cluster network, the
 * backend's MTU and hairpin mode, as flannel's plugin would set them up, so a node needs no flannel
 * plugin binary; {@code flannel} mode writes flannel's own conflist (for nodes that have its
 * plugin). A file at that path that the agent did not write is never touched.
 */
final class CniConfig {
  private static final Logger LOG = LoggerFactory.getLogger(CniConfig.class);
  static final String MARK = "jflannel";

  /** What to write. */
  enum Mode {
    BRIDGE,
    FLANNEL,
    OFF
  }

  private final Path file;
  private final Mode mode;
  private final String network;
  private final String bridge;
  private final Path ipamDir;

  CniConfig(Path dir, String fileName, Mode mode, String network, String bridge, Path ipamDir) {
    this.file = dir == null ? null : dir.resolve(fileName);
    this.mode = dir == null ? Mode.OFF : mode;
    this.network = network;
    this.bridge = bridge;
    this.ipamDir = ipamDir;
  }

  /** The conflist for {@code env} (this node's subnet.env), as text. */
  String render(SubnetEnv env) {
    ObjectNode root =
        SharedJson.MAPPER.createObjectNode().put("name", network).put("cniVersion", "0.4.0");
    ArrayNode plugins = root.putArray("plugins");
    if (mode == Mode.FLANNEL) {
      ObjectNode f = plugins.addObject().put("type", "flannel");
      f.putObject("delegate").put("hairpinMode", true).put("isDefaultGateway", true);
    } else {
      ObjectNode b =
          plugins
              .addObject()
              .put("type", "bridge")
              .put("bridge", bridge)
              .put("isGateway", true)
              .put("isDefaultGateway", true)
              .put("hairpinMode", true)
              .put(
                  "ipMasq",
                  !env.ipMasq()) // as flannel's plugin: the bridge masquerades only when the agent
              // does not
              .put("mtu", env.mtu());
      ObjectNode ipam = b.putObject("ipam").put("type", "host-local");
      ArrayNode ranges = ipam.putArray("ranges");
      ArrayNode routes = ipam.putArray("routes");
      // a range per family: in a dual-stack network pods get an address of each
      if (env.subnet() != null) {
        range(ranges, routes, env.subnet(), env.network());
      }
      if (env.ipv6Subnet() != null) {
        range(ranges, routes, env.ipv6Subnet(), env.ipv6Network());
      }
      if (ipamDir != null) {
        ipam.put("dataDir", ipamDir.toString());
      }
    }
    plugins.addObject().put("type", "portmap").putObject("capabilities").put("portMappings", true);
    root.putObject(MARK)
        .put("writtenBy", "jflanneld")
        .put("subnet", env.subnets().commaSeparated())
        .put("note", "rewritten by jflanneld when this node's subnet changes");
    try {
      return SharedJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One family's host-local range and its route to the cluster network, via the bridge. */
  private static void range(ArrayNode ranges, ArrayNode routes, IpNet subnet, IpNet network) {
    String gateway = subnet.firstHost().toString();
    ranges.addArray().addObject().put("subnet", subnet.toString()).put("gateway", gateway);
    // with its gateway, so that CHECK finds it
    routes.addObject().put("dst", network.toString()).put("gw", gateway);
  }

  /** Writes the config for {@code env} unless it is there already or the file is not ours. */
  void write(SubnetEnv env) {
    if (mode == Mode.OFF) {
      return;
    }
    String text = render(env);
    try {
      if (Files.isRegularFile(file)) {
        String have = Files.readString(file);
        if (have.equals(text)) {
          return;
        }
        if (!ours(have)) {
          LOG.warn("{} exists and was not written by jflanneld: left as it is", file);
          return;
        }
      }
      AtomicFile.write(file, text, "rw-r--r--");
      LOG.info(
          "wrote CNI config {} ({} mode, subnet {})",
          file,
          mode.name().toLowerCase(),
          env.subnets().commaSeparated());
    } catch (IOException e) {
      LOG.warn("cannot write CNI config {}: {}", file, e.getMessage());
    }
  }

  private static boolean ours(String text) {
    try {
      JsonNode n = SharedJson.MAPPER.readTree(text);
      return n != null && "jflanneld".equals(n.path(MARK).path("writtenBy").asText());
    } catch (IOException e) {
      return false;
    }
  }
}
