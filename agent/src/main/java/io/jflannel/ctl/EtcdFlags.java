package io.jflannel.ctl;

import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.lease.etcd.EtcdOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The agent's etcd flags (and FLANNELD_* variables), shared by every etcd command. */
final class EtcdFlags {
  @Option(
      names = "--etcd-endpoints",
      split = ",",
      defaultValue = "http://127.0.0.1:2379",
      description = "etcd client URLs (default: ${DEFAULT-VALUE})")
  List<String> endpoints;

  @Option(
      names = "--etcd-prefix",
      defaultValue = "/coreos.com/network",
      description = "key prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--etcd-cafile", description = "TLS CA bundle")
  Path caFile;

  @Option(names = "--etcd-certfile", description = "TLS client certificate")
  Path certFile;

  @Option(names = "--etcd-keyfile", description = "TLS client key")
  Path keyFile;

  @Option(names = "--etcd-username", description = "etcd user")
  String username;

  @Option(names = "--etcd-password-file", description = "file holding the etcd password")
  Path passwordFile;

  EtcdLeaseRegistry connect() throws IOException {
    String password =
        passwordFile == null
            ? System.getenv("FLANNELD_ETCD_PASSWORD")
            : Files.readString(passwordFile).strip();
    return EtcdLeaseRegistry.connect(
        EtcdOptions.builder()
            .endpoints(endpoints)
            .prefix(prefix)
            .tls(caFile, certFile, keyFile)
            .auth(username, username == null ? null : password)
            .callTimeout(Duration.ofSeconds(3))
            .retryAttempts(2)
            .build());
  }
}
