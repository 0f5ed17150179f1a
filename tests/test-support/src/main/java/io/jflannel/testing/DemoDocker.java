package io.jflannel.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Docker side of {@code ./scripts/demo --docker}: on every node, dockerd started after
 * jflanneld with the options {@code jflanctl docker-opts --wait} prints (as the docker.service
 * drop-in does), the demo image loaded, and two {@code docker run} containers. Closing removes the
 * containers, daemons, image stores and the image file.
 */
final class DemoDocker implements AutoCloseable {
  static final String IMAGE = System.getenv().getOrDefault("BUSYBOX_IMAGE", "local/busybox:1");
  private final List<NodeDocker> dockers = new ArrayList<>();
  private Path image;

  /** Starts the nodes' dockerds and containers; fills name -> ip and name -> ping prefix. */
  void start(
      NetnsCluster c, PrintStream out, Map<String, String> ips, Map<String, List<String>> enter)
      throws IOException {
    image = Files.createTempFile("jflannel-demo-image", ".tar");
    Cmd.ok("/usr/bin/docker", "save", IMAGE, "-o", image.toString());
    for (Node n : c.nodes()) {
      Cmd.Result r =
          n.jflanctlOnNode(
              "docker-opts", "--wait", "60", "--subnet-file", n.subnetFile().toString());
      if (r.exit() != 0) {
        throw new IllegalStateException(
            "jflanctl docker-opts on " + n.ns() + ": " + r.out().strip());
      }
      String opts = r.out().lines().filter(l -> l.startsWith("--bip=")).findFirst().orElseThrow();
      NodeDocker d = new NodeDocker(n, n.dir().resolve("docker"), "/" + c.prefix() + "-" + n.ns());
      dockers.add(d);
      d.start(List.of(opts.split(" ")));
      d.dockerOk("load", "-i", image.toString());
      int number = c.nodes().indexOf(n) + 1;
      out.printf("      %s  dockerd %s%n", n.ns(), opts);
      for (int h = 1; h <= 2; h++) {
        String name = "node" + number + "-c" + h;
        d.dockerOk("run", "-d", "--name", name, IMAGE, "sleep", "86400");
        String key = "node" + number + "/c" + h;
        ips.put(key, d.ip(name));
        enter.put(key, List.of("/usr/bin/docker", "-H", "unix://" + d.socket(), "exec", name));
      }
      d.dockerOk("ps", "--format", "table {{.Names}}\t{{.Image}}\t{{.Status}}")
          .lines()
          .forEach(l -> out.println("        " + l));
    }
  }

  @Override
  public void close() throws IOException {
    for (NodeDocker d : dockers) {
      d.close();
    }
    if (image != null) {
      Files.deleteIfExists(image);
    }
  }
}
