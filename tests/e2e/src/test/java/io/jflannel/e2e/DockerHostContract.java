package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.NodeDocker;
import io.jflannel.testing.Pinger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Docker host end to end: every node runs a real dockerd (Docker's iptables on, FORWARD policy
 * DROP) started the way the shipped docker.service drop-in starts it, after jflanneld, with the
 * options {@code jflanctl docker-opts --wait} prints from the node's subnet.env; containers are
 * real {@code docker run} containers. One subclass per backend.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
abstract class DockerHostContract {
  static final String IMAGE = System.getProperty("jflannel.busybox.image", "local/busybox:1");
  static NetnsCluster cluster;
  static Path imageTar;
  static final Map<Node, NodeDocker> dockers = new LinkedHashMap<>();
  static final Map<Node, List<String>> opts = new LinkedHashMap<>();
  static final Map<String, String> ips = new LinkedHashMap<>(); // container -> address
  static final Map<String, Node> nodeOf = new LinkedHashMap<>();

  static void boot(String backend) throws Exception {
    dockers.clear();
    opts.clear();
    ips.clear();
    nodeOf.clear();
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(3, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":" + backend + "}");
    imageTar = Files.createTempFile("jflannel-image", ".tar");
    Cmd.ok("/usr/bin/docker", "save", IMAGE, "-o", imageTar.toString());
    List<Thread> waiting = new ArrayList<>();
    for (Node n : cluster.nodes()) { // dockerd waits for subnet.env, as its drop-in orders it
      Thread t = new Thread(() -> opts.put(n, dockerOpts(n)));
      t.start();
      waiting.add(t);
    }
    for (Node n : cluster.nodes()) {
      n.startAgent();
    }
    for (Thread t : waiting) {
      t.join(90_000);
    }
    for (Node n : cluster.nodes()) {
      NodeDocker d =
          new NodeDocker(n, n.dir().resolve("docker"), "/" + cluster.prefix() + "-" + n.ns());
      dockers.put(n, d);
      d.start(opts.get(n));
      d.dockerOk("load", "-i", imageTar.toString());
      for (String c : List.of("a", "b")) {
        String name = n.ns() + c;
        d.dockerOk("run", "-d", "--name", name, IMAGE, "sleep", "86400");
        ips.put(name, d.ip(name));
        nodeOf.put(name, n);
      }
    }
  }

  /** What {@code jflanctl docker-opts --wait} prints on the node: dockerd's options. */
  static List<String> dockerOpts(Node n) {
    Cmd.Result r =
        n.jflanctlOnNode("docker-opts", "--wait", "60", "--subnet-file", n.subnetFile().toString());
    assertThat(r.exit()).as(r.out()).isZero();
    String line = r.out().lines().filter(l -> l.startsWith("--bip=")).findFirst().orElseThrow();
    return List.of(line.split(" "));
  }

  @AfterAll
  static void teardown() throws Exception {
    for (NodeDocker d : dockers.values()) {
      d.close();
    }
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
    if (imageTar != null) {
      Files.deleteIfExists(imageTar);
    }
  }

  abstract int expectedMtu();

  /** Loss a kill -9 and restart of jflanneld may cost at 50 pps (kernel backends: none). */
  int allowedAgentRestartLoss() {
    return 0;
  }

  static String exec(String container, String... cmd) {
    NodeDocker d = dockers.get(nodeOf.get(container));
    List<String> all = new ArrayList<>(List.of("exec", container));
    all.addAll(List.of(cmd));
    return d.dockerOk(all.toArray(String[]::new));
  }

  static List<String> unreachable() {
    List<String> bad = new ArrayList<>();
    for (var a : ips.entrySet()) {
      for (var b : ips.entrySet()) {
        if (nodeOf.get(a.getKey()) != nodeOf.get(b.getKey())
            && dockers
                    .get(nodeOf.get(a.getKey()))
                    .docker("exec", a.getKey(), "ping", "-c1", "-W1", b.getValue())
                    .exit()
                != 0) {
          bad.add(a.getKey() + " -> " + b.getValue());
        }
      }
    }
    return bad;
  }

  static String container(int node, String c) {
    return cluster.nodes().get(node - 1).ns() + c;
  }

  @Test
  @Order(1)
  void dockerRunsOnTheNodesSubnetWithDockersOwnFirewall() throws Exception {
    for (Node n : cluster.nodes()) {
      String env = Files.readString(n.subnetFile());
      String bip =
          env.lines()
              .filter(l -> l.startsWith("FLANNEL_SUBNET="))
              .findFirst()
              .orElseThrow()
              .substring(15);
      assertThat(opts.get(n))
          .containsExactly("--bip=" + bip, "--ip-masq=false", "--mtu=" + expectedMtu());
      assertThat(Cmd.in(n.ns(), "ip", "-o", "addr", "show", "docker0")).contains("inet " + bip);
      assertThat(Cmd.in(n.ns(), "ip", "-o", "link", "show", "docker0"))
          .contains("mtu " + expectedMtu());
      String filter = Cmd.in(n.ns(), "iptables-save", "-t", "filter");
      assertThat(filter).contains(":FORWARD DROP", "-A FORWARD -j DOCKER-USER", "-j FLANNEL-FWD");
      assertThat(dockers.get(n).dockerOk("ps", "--format", "{{.Names}}"))
          .contains(n.ns() + "a", n.ns() + "b");
      assertThat(n.jflanctl("status").out()).doesNotContain("degraded:");
    }
  }

  @Test
  @Order(2)
  void everyContainerPingsEveryContainerOnOtherNodes() {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(unreachable()).isEmpty());
  }

  @Test
  @Order(3)
  void fiftyMegabytesCrossNodesAtFullMtu() throws Exception {
    String server = container(2, "a");
    String client = container(1, "a");
    int payload = expectedMtu() - 28;
    String inClient = Long.toString(dockers.get(nodeOf.get(client)).pid(client));
    assertThat(
            Cmd.ok(
                "nsenter",
                "-t",
                inClient,
                "-n",
                "ping",
                "-c",
                "3",
                "-M",
                "do",
                "-s",
                Integer.toString(payload),
                ips.get(server)))
        .as("full-size packets, don't fragment (the node's ping in the container's namespace)")
        .contains("3 received");
    serveFiftyMegabytes(server);
    long t0 = System.nanoTime();
    assertThat(
            exec(
                client, "sh", "-c", "wget -q -O - http://" + ips.get(server) + ":8080/big | wc -c"))
        .as("50 MB over one TCP connection: no black hole at full-size segments")
        .isEqualTo("52428800");
    System.out.printf(
        "50 MB container to container across nodes in %.2f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /** busybox httpd in {@code c} serving /www/big (50 MB), logging each client's address. */
  static void serveFiftyMegabytes(String c) {
    exec(
        c,
        "sh",
        "-c",
        "mkdir -p /www && dd if=/dev/zero of=/www/big bs=1048576 count=50 2>/dev/null");
    dockers
        .get(nodeOf.get(c))
        .dockerOk("exec", "-d", c, "sh", "-c", "httpd -f -v -p 8080 -h /www 2> /tmp/httpd.log");
  }

  @Test
  @Order(4)
  void containersSeeEachOthersOwnAddressesAndTheOutsideSeesTheNode() throws Exception {
    String server = container(3, "a");
    String client = container(1, "b");
    serveFiftyMegabytes(server);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              exec(
                  client,
                  "sh",
                  "-c",
                  "wget -q -O /dev/null http://" + ips.get(server) + ":8080/big");
              assertThat(exec(server, "cat", "/tmp/httpd.log"))
                  .as("the server sees the client container's own address: no masquerade")
                  .contains("[::ffff:" + ips.get(client) + "]:");
            });
    Path log = Files.createTempFile("jflannel-socat", ".log");
    Process listener =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                cluster.externalNamespace(),
                "socat",
                "-d",
                "-d",
                "TCP-LISTEN:5003,reuseaddr,fork",
                "SYSTEM:echo hello")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(
                        exec(
                            client, "sh", "-c", "nc " + NetnsCluster.EXTERNAL + " 5003 </dev/null"))
                    .isEqualTo("hello");
                assertThat(Files.readString(log))
                    .as("the outside sees the node's address")
                    .contains(
                        "accepting connection from AF=2 " + nodeOf.get(client).address() + ":");
              });
    } finally {
      listener.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  @Test
  @Order(5)
  void aRestartedDockerdRewritesItsChainsAndTrafficComesBackWithinSeconds() throws Exception {
    Node n2 = cluster.nodes().get(1);
    String from = container(1, "a");
    String to = container(2, "a");
    Pinger p = Pinger.fromProcess(dockers.get(nodeOf.get(from)).pid(from), ips.get(to));
    Thread.sleep(300);
    NodeDocker d = dockers.get(n2);
    d.stop();
    Cmd.in(n2.ns(), "iptables", "-F", "DOCKER-USER"); // and dockerd writes its chains again
    d.start(opts.get(n2));
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> d.docker("exec", to, "true").exit() == 0);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        dockers
                            .get(nodeOf.get(from))
                            .docker("exec", from, "ping", "-c1", "-W1", ips.get(to))
                            .exit())
                    .isZero());
    double back = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1000);
    Pinger.Result r = p.stop();
    System.out.printf("dockerd restarted: traffic back %.2f s after it answered; %s%n", back, r);
    assertThat(r.lost()).as("%s", r).isLessThanOrEqualTo(5 * 50);
    assertThat(unreachable()).isEmpty();
  }

  @Test
  @Order(6)
  void aRestartedJflanneldLeavesRunningContainersConnected() throws Exception {
    Node n3 = cluster.nodes().get(2);
    String from = container(1, "b");
    String to = container(3, "b");
    Pinger p = Pinger.fromProcess(dockers.get(nodeOf.get(from)).pid(from), ips.get(to));
    Thread.sleep(300);
    n3.stopAgent(true);
    n3.startAgent();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(n3.log()).contains("ready:"));
    Thread.sleep(1000);
    Pinger.Result r = p.stop();
    assertThat(r.lost()).as("%s", r).isLessThanOrEqualTo(allowedAgentRestartLoss());
  }

  @Test
  @Order(7)
  void dockerdStartedBeforeJflanneldIsSaidNotLeftSilentlyBroken() throws Exception {
    Node n3 = cluster.nodes().get(2);
    NodeDocker d = dockers.get(n3);
    for (String c : List.of("a", "b")) {
      d.dockerOk("rm", "-f", n3.ns() + c);
    }
    d.stop();
    Cmd.in(n3.ns(), "ip", "link", "del", "docker0");
    d.start(List.of("--bip=198.19.200.1/24")); // a Docker default: not this node's subnet
    try {
      Cmd.Result r = n3.jflanctlOnNode("docker-opts", "--subnet-file", n3.subnetFile().toString());
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.out())
          .contains(
              "jflanctl: docker0 has 198.19.200.1/24, not this node's ",
              "restart docker with the options of `jflanctl docker-opts`");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(n3.jflanctl("status").out())
                      .contains("degraded:       docker: docker0 has 198.19.200.1/24"));
    } finally {
      d.stop();
      Cmd.in(n3.ns(), "ip", "link", "del", "docker0");
      d.start(opts.get(n3));
      for (String c : List.of("a", "b")) {
        String name = n3.ns() + c;
        d.dockerOk("run", "-d", "--name", name, IMAGE, "sleep", "86400");
        ips.put(name, d.ip(name));
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(n3.jflanctl("status").out()).containsPattern("state: +READY"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(unreachable()).isEmpty());
  }
}
