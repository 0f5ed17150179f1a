package io.jflannel.lease.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.lease.LeaseStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/** etcd with client-certificate TLS, and with user/password auth. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdSecurityIT {
  static final String CONFIG = "{\"Network\":\"10.244.0.0/16\"}";

  @Test
  void authWithRightAndWrongPassword() throws Exception {
    try (GenericContainer<?> etcd =
        new GenericContainer<>(DockerImageName.parse(EtcdFixture.IMAGE))
            .withCommand(
                "--listen-client-urls",
                "http://0.0.0.0:2379",
                "--advertise-client-urls",
                "http://0.0.0.0:2379")
            .withExposedPorts(2379)
            .waitingFor(Wait.forHttp("/health").forPort(2379).forStatusCode(200))) {
      etcd.start();
      exec(etcd, "etcdctl", "user", "add", "root", "--new-user-password=s3cret");
      exec(etcd, "etcdctl", "auth", "enable");
      String ep = "http://" + etcd.getHost() + ":" + etcd.getMappedPort(2379);
      try (EtcdLeaseRegistry ok =
          EtcdLeaseRegistry.connect(
              EtcdOptions.builder().endpoints(List.of(ep)).auth("root", "s3cret").build())) {
        ok.putNetworkConfig(CONFIG);
        assertThat(ok.getNetworkConfig()).contains(CONFIG);
      }
      try (EtcdLeaseRegistry bad =
          EtcdLeaseRegistry.connect(
              EtcdOptions.builder()
                  .endpoints(List.of(ep))
                  .auth("root", "wrong")
                  .callTimeout(Duration.ofSeconds(5))
                  .build())) {
        assertThatThrownBy(bad::getNetworkConfig)
            .isInstanceOf(LeaseStoreException.class)
            .hasMessageContaining("get /coreos.com/network/config")
            .hasMessageContaining("etcd rejected the credentials")
            .extracting(e -> ((LeaseStoreException) e).reason())
            .isEqualTo(LeaseStoreException.Reason.REJECTED);
      }
      try (EtcdLeaseRegistry none =
          EtcdLeaseRegistry.connect(
              EtcdOptions.builder()
                  .endpoints(List.of(ep))
                  .callTimeout(Duration.ofSeconds(5))
                  .build())) {
        assertThatThrownBy(none::getNetworkConfig)
            .isInstanceOf(LeaseStoreException.class)
            .hasMessageContaining("user name is empty");
      }
    }
  }

  /**
   * Client keys as kubeadm (PKCS#1), openssl 3 (PKCS#8) and cfssl/openssl ecparam (SEC1 EC) write
   * them.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"pkcs8", "pkcs1", "ec"})
  void clientCertificateTls(String keyForm, @TempDir Path dir) throws Exception {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "1",
        "-subj",
        "/CN=jflannel-test-ca");
    signed(
        dir,
        "server",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    clientKey(dir, keyForm);
    signed(dir, "client", "extendedKeyUsage=clientAuth\n");
    String pem = Files.readString(dir.resolve("client.key"));
    assertThat(pem)
        .contains(
            switch (keyForm) {
              case "pkcs1" -> "BEGIN RSA PRIVATE KEY";
              case "ec" -> "BEGIN EC PRIVATE KEY";
              default -> "BEGIN PRIVATE KEY";
            });
    try (GenericContainer<?> etcd =
        new GenericContainer<>(DockerImageName.parse(EtcdFixture.IMAGE))
            .withCopyFileToContainer(
                MountableFile.forHostPath(dir.resolve("ca.crt")), "/certs/ca.crt")
            .withCopyFileToContainer(
                MountableFile.forHostPath(dir.resolve("server.crt")), "/certs/server.crt")
            .withCopyFileToContainer(
                MountableFile.forHostPath(dir.resolve("server.key"), 0644), "/certs/server.key")
            .withCommand(
                "--listen-client-urls",
                "https://0.0.0.0:2379",
                "--advertise-client-urls",
                "https://127.0.0.1:2379",
                "--cert-file",
                "/certs/server.crt",
                "--key-file",
                "/certs/server.key",
                "--trusted-ca-file",
                "/certs/ca.crt",
                "--client-cert-auth")
            .withExposedPorts(2379)
            .waitingFor(Wait.forLogMessage(".*ready to serve client requests.*", 1))) {
      etcd.start();
      String ep = "https://127.0.0.1:" + etcd.getMappedPort(2379);
      try (EtcdLeaseRegistry ok =
          EtcdLeaseRegistry.connect(
              EtcdOptions.builder()
                  .endpoints(List.of(ep))
                  .tls(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key"))
                  .build())) {
        ok.putNetworkConfig(CONFIG);
        assertThat(ok.getNetworkConfig()).contains(CONFIG);
      }
      try (EtcdLeaseRegistry noCert =
          EtcdLeaseRegistry.connect(
              EtcdOptions.builder()
                  .endpoints(List.of(ep))
                  .tls(dir.resolve("ca.crt"), null, null)
                  .callTimeout(Duration.ofSeconds(3))
                  .retryAttempts(1)
                  .build())) {
        assertThatThrownBy(noCert::getNetworkConfig)
            .isInstanceOf(LeaseStoreException.class)
            .hasMessageStartingWith("get /coreos.com/network/config: ");
      }
    }
    assertThatThrownBy(
            () ->
                EtcdLeaseRegistry.connect(
                    EtcdOptions.builder().tls(dir.resolve("missing-ca.crt"), null, null).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("etcd TLS files unusable");
  }

  /** client.key in the given form. */
  private static void clientKey(Path dir, String form) throws Exception {
    switch (form) {
      case "pkcs1" -> openssl(dir, "genrsa", "-traditional", "-out", "client.key", "2048");
      case "ec" -> openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "client.key");
      default -> openssl(dir, "genpkey", "-algorithm", "RSA", "-out", "client.key");
    }
  }

  private static void signed(Path dir, String name, String ext) throws Exception {
    Files.writeString(dir.resolve(name + ".ext"), ext);
    if (!Files.exists(dir.resolve(name + ".key"))) {
      openssl(dir, "genpkey", "-algorithm", "RSA", "-out", name + ".key");
    }
    openssl(
        dir, "req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".crt",
        "-days",
        "1",
        "-extfile",
        name + ".ext");
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + out);
    }
  }

  private static void exec(GenericContainer<?> c, String... cmd) throws Exception {
    var r = c.execInContainer(cmd);
    if (r.getExitCode() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + r.getStderr());
    }
  }
}
