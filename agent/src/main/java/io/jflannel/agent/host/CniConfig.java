package io.jflannel.agent.host;

import io.jflannel.agent.cli.CniOptions;
import io.jflannel.agent.cli.CniOptions.Mode;
import io.jflannel.lease.AtomicFile;
import io.jflannel.lease.Json;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.net.IpNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
public final class CniConfig {
  private static final Logger LOG = LoggerFactory.getLogger(CniConfig.class);
  static final String MARK = "jflannel";

  private final Path file;
  private final Mode mode;
  private final String network;
  private final String bridge;
  private final Path ipamDir;

  /** The config {@code o} asks for. */
  public static CniConfig of(CniOptions o) {
    return new CniConfig(
        o.confDir(), o.confName(), o.mode(), o.network(), o.bridge(), o.ipamDataDir());
  }

  CniConfig(Path dir, String fileName, Mode mode, String network, String bridge, Path ipamDir) {
    this.file = dir == null ? null : dir.resolve(fileName);
    this.mode = dir == null ? Mode.OFF : mode;
    this.network = network;
    this.bridge = bridge;
    this.ipamDir = ipamDir;
  }

  /** The conflist for {@code env} (this node's subnet.env), as text. */
  public String render(SubnetEnv env) {
    Map<String, Object> root = Json.fields("name", network, "cniVersion", "0.4.0");
    List<Object> plugins = new ArrayList<>();
    root.put("plugins", plugins);
    if (mode == Mode.FLANNEL) {
      plugins.add(
          Json.fields(
              "type",
              "flannel",
              "delegate",
              Json.fields("hairpinMode", true, "isDefaultGateway", true)));
    } else {
      List<Object> ranges = new ArrayList<>();
      List<Object> routes = new ArrayList<>();
      // a range per family: in a dual-stack network pods get an address of each
      if (env.subnet() != null) {
        range(ranges, routes, env.subnet(), env.network());
      }
      if (env.ipv6Subnet() != null) {
        range(ranges, routes, env.ipv6Subnet(), env.ipv6Network());
      }
      Map<String, Object> ipam =
          Json.fields("type", "host-local", "ranges", ranges, "routes", routes);
      if (ipamDir != null) {
        ipam.put("dataDir", ipamDir.toString());
      }
      Map<String, Object> b = Json.fields("type", "bridge", "bridge", bridge, "isGateway", true);
      b.put("isDefaultGateway", true);
      b.put("hairpinMode", true);
      b.put("ipMasq", !env.ipMasq()); // as flannel's plugin: only when the agent does not
      b.put("mtu", env.mtu());
      b.put("ipam", ipam);
      plugins.add(b);
    }
    plugins.add(Json.fields("type", "portmap", "capabilities", Json.fields("portMappings", true)));
    root.put(
        MARK,
        Json.fields(
            "writtenBy",
            "jflanneld",
            "subnet",
            env.subnets().commaSeparated(),
            "note",
            "rewritten by jflanneld when this node's subnet changes"));
    return Json.pretty(root) + "\n";
  }

  /** One family's host-local range and its route to the cluster network, via the bridge. */
  private static void range(List<Object> ranges, List<Object> routes, IpNet subnet, IpNet network) {
    String gateway = subnet.firstHost().toString();
    ranges.add(List.of(Json.fields("subnet", subnet.toString(), "gateway", gateway)));
    // with its gateway, so that CHECK finds it
    routes.add(Json.fields("dst", network.toString(), "gw", gateway));
  }

  /** Writes the config for {@code env} unless it is there already or the file is not ours. */
  public void write(SubnetEnv env) {
    String problem = check(env);
    if (problem != null) {
      LOG.warn("CNI config: {}", problem);
    }
  }

  /**
   * Writes the config for {@code env} when it is missing or stale (someone deleted it, the subnet
   * changed), and says why kubelet would not give pods this network: the file cannot be written, a
   * foreign file sits under our name, or another config sorts before ours (kubelet takes the first
   * of the directory in lexical order). Null when pods get it.
   */
  public String check(SubnetEnv env) {
    if (mode == Mode.OFF) {
      return null;
    }
    String text = render(env);
    try {
      if (Files.isRegularFile(file)) {
        String have = Files.readString(file);
        if (!have.equals(text) && !ours(have)) {
          return file
              + " exists and was not written by jflanneld: left as it is, and pods do not get this"
              + " network from it; remove it, or give --cni-conf-name another name (see"
              + " docs/troubleshooting.md#foreign-cni-config)";
        }
        if (!have.equals(text)) {
          write(file, text, env);
        }
      } else {
        write(file, text, env);
      }
    } catch (IOException e) {
      return "cannot write "
          + file
          + " ("
          + e.getMessage()
          + "): pods on this node get no network from it; make --cni-conf-dir writable";
    }
    return shadowedBy();
  }

  private void write(Path f, String text, SubnetEnv env) throws IOException {
    AtomicFile.write(f, text, "rw-r--r--");
    LOG.info(
        "wrote CNI config {} ({} mode, subnet {})",
        f,
        mode.name().toLowerCase(),
        env.subnets().commaSeparated());
  }

  /**
   * The CNI configs of {@code dir} in the order kubelet considers them (*.conf, *.conflist, *.json
   * by name): it uses the first.
   */
  public static java.util.List<String> kubeletOrder(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".conf") || n.endsWith(".conflist") || n.endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  /** A config kubelet reads before ours. */
  private String shadowedBy() {
    try {
      String ours = file.getFileName().toString();
      return kubeletOrder(file.getParent()).stream()
          .filter(n -> n.compareTo(ours) < 0)
          .findFirst()
          .map(
              n ->
                  file.getParent().resolve(n)
                      + " sorts before "
                      + ours
                      + " and kubelet uses the first config of the directory: pods on this node"
                      + " get that network; remove it, or name ours to sort first"
                      + " (--cni-conf-name 00-jflannel.conflist; see"
                      + " docs/troubleshooting.md#foreign-cni-config)")
          .orElse(null);
    } catch (IOException e) {
      return "cannot list " + file.getParent() + ": " + e.getMessage();
    }
  }

  /** The configured file ({@code --cni-conf-dir}/{@code --cni-conf-name}), or null for none. */
  public Path file() {
    return file;
  }

  /**
   * True when {@code path} is a config jflanneld wrote (it carries our mark); a foreign file, or
   * none, is false. {@code jflanneld cleanup} removes only such a file.
   */
  public static boolean writtenByUs(Path path) {
    try {
      return Files.isRegularFile(path) && ours(Files.readString(path));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean ours(String text) {
    try {
      var n = Json.parse(text);
      return n != null && "jflanneld".equals(Json.text(n.path(MARK).path("writtenBy")));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
