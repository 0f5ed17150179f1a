package io.jflannel.lease.etcd;

import io.jflannel.lease.LeaseKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd: endpoints, prefix, TLS, auth, and call limits. Build with {@link #builder()}.
 *
 * @param endpoints client URLs, e.g. {@code http://127.0.0.1:2379}, {@code https://[fd00::1]:2379}
 *     (in their normal form: {@link EtcdEndpoint})
 * @param prefix key prefix, default {@code /coreos.com/network}
 * @param caFile CA bundle for TLS, or null
 * @param certFile client certificate for TLS, or null
 * @param keyFile client key for TLS (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC), or null
 * @param username user for etcd auth, or null
 * @param password password for etcd auth, or null
 * @param callTimeout deadline of one call attempt
 * @param retryAttempts attempts per call (1 = no retry)
 */
public record EtcdOptions(
    List<String> endpoints,
    String prefix,
    Path caFile,
    Path certFile,
    Path keyFile,
    String username,
    String password,
    Duration callTimeout,
    int retryAttempts) {

  /** Validates. */
  public EtcdOptions {
    endpoints = EtcdEndpoint.parseAll(endpoints).stream().map(EtcdEndpoint::toString).toList();
    new LeaseKeys(prefix);
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("etcd TLS needs both a cert file and a key file");
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("etcd auth needs both a username and a password");
    }
  }

  /** A builder with flannel's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link EtcdOptions}. */
  public static final class Builder {
    private List<String> endpoints = List.of("http://127.0.0.1:2379");
    private String prefix = LeaseKeys.DEFAULT_PREFIX;
    private Path caFile;
    private Path certFile;
    private Path keyFile;
    private String username;
    private String password;
    private Duration callTimeout = Duration.ofSeconds(5);
    private int retryAttempts = 3;

    private Builder() {}

    /** Client URLs. */
    public Builder endpoints(List<String> v) {
      endpoints = v;
      return this;
    }

    /** Key prefix. */
    public Builder prefix(String v) {
      prefix = v;
      return this;
    }

    /** TLS files; each may be null. */
    public Builder tls(Path ca, Path cert, Path key) {
      caFile = ca;
      certFile = cert;
      keyFile = key;
      return this;
    }

    /** etcd user and password. */
    public Builder auth(String user, String pass) {
      username = user;
      password = pass;
      return this;
    }

    /** Deadline of one call attempt. */
    public Builder callTimeout(Duration v) {
      callTimeout = v;
      return this;
    }

    /** Attempts per call. */
    public Builder retryAttempts(int v) {
      retryAttempts = v;
      return this;
    }

    /** The options. */
    public EtcdOptions build() {
      return new EtcdOptions(
          endpoints,
          prefix,
          caFile,
          certFile,
          keyFile,
          username,
          password,
          callTimeout,
          retryAttempts);
    }
  }
}
