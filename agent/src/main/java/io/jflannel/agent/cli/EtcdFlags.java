package io.jflannel.agent.cli;

import io.jflannel.lease.etcd.EtcdOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The etcd flags (flanneld's names, also FLANNELD_* variables) of jflanneld and every jflanctl etcd
 * command.
 */
public final class EtcdFlags {
  @Option(
      names = "--etcd-endpoints",
      split = ",",
      defaultValue = "http://127.0.0.1:2379",
      description = "etcd client URLs (default: ${DEFAULT-VALUE})")
  List<String> endpoints;

  @Option(
      names = "--etcd-prefix",
      defaultValue = "/coreos.com/network",
      description = "etcd key prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--etcd-cafile", description = "TLS CA bundle for etcd")
  Path caFile;

  @Option(names = "--etcd-certfile", description = "TLS client certificate for etcd")
  Path certFile;

  @Option(
      names = "--etcd-keyfile",
      description = "TLS client key for etcd (PEM: PKCS#8, PKCS#1 RSA as kubeadm writes, or EC)")
  Path keyFile;

  @Option(names = "--etcd-username", description = "etcd user")
  String username;

  @Option(names = "--etcd-password", description = "etcd password (prefer --etcd-password-file)")
  String password;

  @Option(names = "--etcd-password-file", description = "file holding the etcd password")
  Path passwordFile;

  /**
   * Checks that every file named is readable.
   *
   * @throws IllegalArgumentException naming the flag and file that is not
   */
  public void check() {
    io.jflannel.lease.etcd.EtcdEndpoint.parseAll(endpoints); // one line naming a bad one
    if (passwordFile != null && !Files.isReadable(passwordFile)) {
      throw new IllegalArgumentException(
          "--etcd-password-file " + passwordFile + " is not readable");
    }
    for (Path p : new Path[] {caFile, certFile, keyFile}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException("etcd TLS file " + p + " is not readable");
      }
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          "--etcd-certfile and --etcd-keyfile go together (the client certificate and its key)");
    }
    if (keyFile != null) {
      io.jflannel.lease.etcd.PemKeys.privateKey(keyFile); // one line naming file and form
      io.jflannel.lease.etcd.PemKeys.certificates(certFile);
    }
  }

  /**
   * The password: from --etcd-password-file if given, else --etcd-password (or
   * FLANNELD_ETCD_PASSWORD).
   */
  public String password() {
    if (passwordFile == null) {
      return password;
    }
    try {
      return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read --etcd-password-file " + passwordFile + ": " + e.getMessage(), e);
    }
  }

  /** Options for these flags (after {@link #check()}). */
  public EtcdOptions.Builder options() {
    return EtcdOptions.builder()
        .endpoints(endpoints)
        .prefix(prefix)
        .tls(caFile, certFile, keyFile)
        .auth(username, username == null ? null : password());
  }

  /** The endpoints. */
  public List<String> endpoints() {
    return endpoints;
  }

  /** The prefix. */
  public String prefix() {
    return prefix;
  }

  /** The CA file or null. */
  public Path caFile() {
    return caFile;
  }

  /** The client certificate or null. */
  public Path certFile() {
    return certFile;
  }

  /** The client key or null. */
  public Path keyFile() {
    return keyFile;
  }

  /** The user or null. */
  public String username() {
    return username;
  }
}
