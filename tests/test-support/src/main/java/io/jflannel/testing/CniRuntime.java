package io.jflannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a container runtime (containerd, CRI-O) does with a CNI network config list, per the CNI
 * spec: for ADD each plugin of the list in order is executed from {@code CNI_PATH} with {@code
 * CNI_COMMAND}, {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME} and {@code CNI_PATH}
 * set and, on stdin, its config with the list's {@code cniVersion} and {@code name}, the previous
 * plugin's result as {@code prevResult} and the capabilities it asks for as {@code runtimeConfig};
 * CHECK and DEL run the list (DEL in reverse) with the cached ADD result. Plugins run in the node's
 * network namespace, as the runtime does on a node.
 */
public final class CniRuntime {
  /** Where Debian's containernetworking-plugins puts the standard plugins. */
  public static final Path PLUGINS = Path.of("/usr/lib/cni");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String nodeNs;
  private final Path conflist;
  private final Map<String, JsonNode> results = new HashMap<>();

  /** A runtime on the node in {@code nodeNs} reading {@code conflist}. */
  public CniRuntime(String nodeNs, Path conflist) {
    this.nodeNs = nodeNs;
    this.conflist = conflist;
    if (!Files.isExecutable(PLUGINS.resolve("bridge"))) {
      throw new IllegalStateException(
          "the standard CNI plugins are not in "
              + PLUGINS
              + ": apt-get install containernetworking-plugins (scripts/prepare-host does)");
    }
  }

  /** ADD: returns the final result (the pod's interfaces, IPs, routes). */
  public JsonNode add(String id, String podNs) {
    JsonNode list = list();
    JsonNode prev = null;
    for (JsonNode plugin : list.path("plugins")) {
      prev = exec("ADD", id, podNs, list, plugin, prev);
    }
    results.put(id, prev);
    return prev;
  }

  /** CHECK with the cached ADD result. */
  public void check(String id, String podNs) {
    JsonNode list = list();
    for (JsonNode plugin : list.path("plugins")) {
      exec("CHECK", id, podNs, list, plugin, results.get(id));
    }
  }

  /** DEL in reverse order with the cached ADD result. */
  public void del(String id, String podNs) {
    JsonNode list = list();
    JsonNode plugins = list.path("plugins");
    for (int i = plugins.size() - 1; i >= 0; i--) {
      exec("DEL", id, podNs, list, plugins.get(i), results.get(id));
    }
    results.remove(id);
  }

  /** The pod's IPv4 address from an ADD result. */
  public static String ip(JsonNode result) {
    String cidr = result.path("ips").get(0).path("address").asText();
    return cidr.substring(0, cidr.indexOf('/'));
  }

  private JsonNode list() {
    try {
      return JSON.readTree(conflist.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + conflist + ": " + e.getMessage(), e);
    }
  }

  private JsonNode exec(
      String command, String id, String podNs, JsonNode list, JsonNode plugin, JsonNode prev) {
    ObjectNode conf = plugin.deepCopy();
    conf.put("cniVersion", list.path("cniVersion").asText());
    conf.put("name", list.path("name").asText());
    if (prev != null) {
      conf.set("prevResult", prev);
    }
    if (plugin.path("capabilities").path("portMappings").asBoolean(false)) {
      conf.putObject("runtimeConfig").putArray("portMappings");
    }
    String type = plugin.path("type").asText();
    try {
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  nodeNs,
                  "env",
                  "CNI_COMMAND=" + command,
                  "CNI_CONTAINERID=" + id,
                  "CNI_NETNS=/var/run/netns/" + podNs,
                  "CNI_IFNAME=eth0",
                  "CNI_PATH=" + PLUGINS,
                  PLUGINS.resolve(type).toString())
              .redirectErrorStream(false)
              .start();
      p.getOutputStream().write(JSON.writeValueAsBytes(conf));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "CNI "
                + command
                + " "
                + type
                + " for "
                + id
                + " failed: "
                + out.strip()
                + " "
                + err.strip());
      }
      return command.equals("ADD") ? JSON.readTree(out) : prev;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run CNI plugin " + type + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
