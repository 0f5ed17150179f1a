package io.jflannel.lease.etcd;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * Real etcd members in containers (image from {@code -Djflannel.etcd.image}, made by
 * scripts/prepare-host). Fails with a clear message when Docker is not reachable.
 */
final class EtcdFixture implements AutoCloseable {
  static final String IMAGE = System.getProperty("jflannel.etcd.image", "local/etcd:3.4.23");

  final List<GenericContainer<?>> members = new ArrayList<>();
  private final Network network;

  private EtcdFixture(int size) {
    if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(
          "Docker engine not reachable: run ./scripts/prepare-host first (it starts dockerd and builds "
              + IMAGE
              + ")");
    }
    network = size > 1 ? Network.newNetwork() : null;
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < size; i++) {
      initial
          .append(i == 0 ? "" : ",")
          .append("etcd")
          .append(i)
          .append("=http://etcd")
          .append(i)
          .append(":2380");
    }
    for (int i = 0; i < size; i++) {
      String n = "etcd" + i;
      GenericContainer<?> c =
          new GenericContainer<>(DockerImageName.parse(IMAGE))
              .withExposedPorts(2379)
              .waitingFor(
                  Wait.forHttp("/health")
                      .forPort(2379)
                      .forStatusCode(200)
                      .withStartupTimeout(Duration.ofSeconds(60)));
      if (size == 1) {
        c.withCommand(
            "--listen-client-urls",
            "http://0.0.0.0:2379",
            "--advertise-client-urls",
            "http://0.0.0.0:2379");
      } else {
        c.withNetwork(network)
            .withNetworkAliases(n)
            .withCommand(
                "--name",
                n,
                "--data-dir",
                "/var/lib/etcd/data",
                "--listen-client-urls",
                "http://0.0.0.0:2379",
                "--advertise-client-urls",
                "http://" + n + ":2379",
                "--listen-peer-urls",
                "http://0.0.0.0:2380",
                "--initial-advertise-peer-urls",
                "http://" + n + ":2380",
                "--initial-cluster",
                initial.toString(),
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                "jflannel");
      }
      members.add(c);
    }
  }

  static EtcdFixture single() {
    EtcdFixture f = new EtcdFixture(1);
    f.members.get(0).start();
    return f;
  }

  static EtcdFixture cluster(int size) {
    EtcdFixture f = new EtcdFixture(size);
    Startables.deepStart(f.members).join();
    return f;
  }

  String endpoint(int i) {
    GenericContainer<?> c = members.get(i);
    return "http://" + c.getHost() + ":" + c.getMappedPort(2379);
  }

  /**
   * Member {@code i} by the IPv6 loopback address, in brackets: Docker publishes the port on [::]
   * too, under a port number of its own.
   */
  String ipv6Endpoint(int i) {
    var bindings = members.get(i).getContainerInfo().getNetworkSettings().getPorts().getBindings();
    for (var e : bindings.entrySet()) {
      if (e.getKey().getPort() == 2379 && e.getValue() != null) {
        for (var b : e.getValue()) {
          if (b.getHostIp() != null && b.getHostIp().contains(":")) {
            return "http://[::1]:" + b.getHostPortSpec();
          }
        }
      }
    }
    throw new IllegalStateException(
        "Docker published etcd's port on no IPv6 address (" + bindings + "): dockerd needs IPv6");
  }

  List<String> endpoints() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).isRunning()) {
        out.add(endpoint(i));
      }
    }
    return out;
  }

  Client client(String... endpoints) {
    System.setProperty(EtcdLeaseRegistry.VERTX_CP_RESOLVING, "true"); // no /tmp/vertx-cache-* left
    return Client.builder()
        .endpoints(endpoints.length == 0 ? endpoints().toArray(String[]::new) : endpoints)
        .build();
  }

  @Override
  public void close() {
    for (GenericContainer<?> c : members) {
      try {
        c.stop();
      } catch (RuntimeException e) {
        // keep stopping the others
      }
    }
    if (network != null) {
      network.close();
    }
  }
}
