package io.jflannel.lease.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.jflannel.lease.ConfigListener;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseKeys;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseSnapshot;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.RegistryObserver;
import io.jflannel.lease.RegistryWatch;
import io.jflannel.lease.SubnetKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** flannel's lease schema on etcd v3 through jetcd. */
public final class EtcdLeaseRegistry implements LeaseRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdLeaseRegistry.class);

  private final ClientBuilder builder;
  private final List<EtcdEndpoint> endpoints;
  private volatile Client client;
  private volatile KV kv;
  private final LeaseKeys keys;
  private final EtcdCalls calls;
  private volatile RegistryObserver observer = RegistryObserver.NONE;
  private final java.util.Set<ConnectionWatch> watches =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private EtcdLeaseRegistry(ClientBuilder builder, LeaseKeys keys, EtcdOptions options) {
    this.builder = builder;
    this.endpoints = options.endpoints().stream().map(EtcdEndpoint::parse).toList();
    this.client = builder.copy().build();
    this.kv = client.getKVClient();
    this.keys = keys;
    this.calls = new EtcdCalls(options.callTimeout(), options.retryAttempts());
  }

  static final String VERTX_CP_RESOLVING = "vertx.disableFileCPResolving";
  static final String VERTX_DNS_RESOLVER = "vertx.disableDnsResolver";

  /**
   * Connects (lazily: the first call reaches out) with the given options.
   *
   * @throws IllegalArgumentException when TLS files cannot be read
   */
  public static EtcdLeaseRegistry connect(EtcdOptions o) {
    // jetcd's Vert.x would make /tmp/vertx-cache-<uuid> for serving classpath files we never serve,
    // and a process that is killed leaves it behind: one directory per agent restart
    if (System.getProperty(VERTX_CP_RESOLVING) == null) {
      System.setProperty(VERTX_CP_RESOLVING, "true");
    }
    // endpoint names are resolved by the JDK (/etc/hosts, then DNS), as for any other process on
    // the node, instead of by Netty's own DNS client: some 60 classes fewer in every process
    if (System.getProperty(VERTX_DNS_RESOLVER) == null) {
      System.setProperty(VERTX_DNS_RESOLVER, "true");
    }
    ClientBuilder b =
        Client.builder()
            .target(EtcdEndpoint.target(o.endpoints().stream().map(EtcdEndpoint::parse).toList()))
            .connectTimeout(Duration.ofSeconds(3))
            // HTTP/2 pings find a dead connection under the watch streams a running node always
            // holds (a failed ping fails the streams, and health follows them); without calls, etcd
            // counts a ping as abuse and closes the connection (GOAWAY too_many_pings)
            .keepaliveTime(Duration.ofSeconds(10))
            .keepaliveTimeout(Duration.ofSeconds(3))
            .keepaliveWithoutCalls(false)
            .retryMaxAttempts(2)
            .retryMaxDuration(o.callTimeout())
            // Vert.x's event loop, as jetcd up to 0.8.5 always used: without it (0.8.6 on) gRPC's
            // shared event loops outlive the client by a second, so every jflanctl run waited 0.3 s
            // at exit for threads in epoll_wait (0.28 -> 0.65 s), and the agent ran 5 threads more
            .useVertx();
    if (o.username() != null) {
      b.user(bytes(o.username())).password(bytes(o.password()));
    }
    if (o.caFile() != null || o.certFile() != null) {
      try {
        b.sslContext(
            ssl -> {
              if (o.caFile() != null) {
                ssl.trustManager(o.caFile().toFile());
              }
              if (o.certFile() != null) { // PKCS#1, PKCS#8 or SEC1: see PemKeys
                ssl.keyManager(PemKeys.privateKey(o.keyFile()), PemKeys.certificates(o.certFile()));
              }
            });
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "etcd TLS files unusable ("
                + o.caFile()
                + ", "
                + o.certFile()
                + ", "
                + o.keyFile()
                + "): "
                + e.getMessage(),
            e);
      }
    }
    return new EtcdLeaseRegistry(b, new LeaseKeys(o.prefix()), o);
  }

  @Override
  public String prefix() {
    return keys.prefix();
  }

  /** The circuit breaker guarding etcd calls (state, metrics). */
  public CircuitBreaker circuitBreaker() {
    return calls.breaker();
  }

  @Override
  public Optional<String> getNetworkConfig() {
    GetResponse r = calls.run("get " + keys.configKey(), () -> kv.get(bytes(keys.configKey())));
    return r.getKvs().stream().findFirst().map(k -> k.getValue().toString(StandardCharsets.UTF_8));
  }

  @Override
  public void putNetworkConfig(String json) {
    calls.run("put " + keys.configKey(), () -> kv.put(bytes(keys.configKey()), bytes(json)));
  }

  @Override
  public boolean createNetworkConfig(String json) {
    ByteSequence key = bytes(keys.configKey());
    return calls
        .run(
            "create " + keys.configKey(),
            () ->
                kv.txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                    .Then(Op.put(key, bytes(json), PutOption.DEFAULT))
                    .commit())
        .isSucceeded();
  }

  @Override
  public LeaseSnapshot listLeases() {
    String p = keys.subnetsPrefix();
    GetResponse r =
        calls.run("list " + p, () -> kv.get(bytes(p), GetOption.builder().isPrefix(true).build()));
    List<Lease> out = new ArrayList<>(r.getKvs().size());
    int malformed = 0;
    for (KeyValue k : r.getKvs()) {
      Optional<Lease> l = decode(k);
      if (l.isPresent()) {
        out.add(l.get());
      } else {
        malformed++;
      }
    }
    out.sort(Lease.BY_KEY);
    return new LeaseSnapshot(out, r.getHeader().getRevision(), malformed);
  }

  @Override
  public Optional<Lease> getLease(SubnetKey subnets) {
    String key = keys.subnetKey(subnets); // an IPv4 key is a prefix of its dual-stack form too
    GetResponse r =
        calls.run(
            "get " + key, () -> kv.get(bytes(key), GetOption.builder().isPrefix(true).build()));
    return r.getKvs().stream()
        .filter(
            k ->
                keys.subnetsOf(k.getKey().toString(StandardCharsets.UTF_8))
                    .filter(subnets::names)
                    .isPresent())
        .findFirst()
        .flatMap(this::decode);
  }

  @Override
  public Optional<Lease> createLease(SubnetKey subnet, LeaseAttrs attrs, Duration ttl) {
    return write(
        subnet,
        attrs,
        ttl,
        new Cmp(bytes(keys.subnetKey(subnet)), Cmp.Op.EQUAL, CmpTarget.version(0)),
        0,
        "create");
  }

  @Override
  public Optional<Lease> updateLease(Lease current, LeaseAttrs attrs, Duration ttl) {
    Cmp unchanged =
        new Cmp(
            bytes(keys.subnetKey(current.key())),
            Cmp.Op.EQUAL,
            CmpTarget.modRevision(current.modRevision()));
    if (ttl != null && current.storeLeaseId() != 0) {
      Optional<Lease> alive = renewLease(current); // keep the store lease: nothing to revoke
      if (alive.isPresent()) {
        return write(
            current.key(),
            attrs,
            current.storeLeaseId(),
            alive.get().expiration(),
            unchanged,
            current.createRevision(),
            "update");
      }
    }
    Optional<Lease> l =
        write(current.key(), attrs, ttl, unchanged, current.createRevision(), "update");
    if (l.isPresent() && current.storeLeaseId() != 0) {
      revokeQuietly(current.storeLeaseId());
    }
    return l;
  }

  @Override
  public Optional<Lease> renewLease(Lease current) {
    long id = current.storeLeaseId();
    if (id == 0) {
      return Optional.empty();
    }
    long ttl;
    try {
      ttl =
          calls
              .run(
                  "keep-alive lease " + Long.toHexString(id),
                  () -> client.getLeaseClient().keepAliveOnce(id))
              .getTTL();
    } catch (LeaseStoreException e) {
      if (e.reason() == LeaseStoreException.Reason.REJECTED
          && String.valueOf(e.getMessage()).contains("lease not found")) {
        return Optional.empty(); // expired or revoked: etcd answers NOT_FOUND, not a TTL of 0
      }
      throw e;
    }
    return ttl <= 0
        ? Optional.empty()
        : Optional.of(current.withExpiration(Instant.now().plusSeconds(ttl)));
  }

  /** The conditional put under a new store lease ({@code ttl}; null: none). */
  private Optional<Lease> write(
      SubnetKey subnet, LeaseAttrs attrs, Duration ttl, Cmp cmp, long created, String verb) {
    String key = keys.subnetKey(subnet);
    long leaseId = 0;
    Instant expires = null;
    if (ttl != null) {
      long secs = Math.max(1, ttl.toSeconds());
      leaseId =
          calls
              .run(
                  "grant lease " + secs + "s for " + key, () -> client.getLeaseClient().grant(secs))
              .getID();
      expires = Instant.now().plusSeconds(secs);
    }
    try {
      Optional<Lease> l = write(subnet, attrs, leaseId, expires, cmp, created, verb);
      if (l.isEmpty()) {
        revokeQuietly(leaseId);
      }
      return l;
    } catch (LeaseStoreException e) {
      if (e.reason() != LeaseStoreException.Reason.UNAVAILABLE) {
        revokeQuietly(leaseId);
      } // else the put may have landed: revoking would delete the key; the grant expires unused
      throw e;
    }
  }

  /**
   * The conditional put under an existing store lease (0: none); empty when {@code cmp} failed.
   * {@code created} is the key's create revision, 0 when this put creates it.
   */
  private Optional<Lease> write(
      SubnetKey subnet,
      LeaseAttrs attrs,
      long leaseId,
      Instant expires,
      Cmp cmp,
      long created,
      String verb) {
    String key = keys.subnetKey(subnet);
    PutOption put =
        leaseId == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leaseId).build();
    String value = attrs.toJson();
    TxnResponse r =
        calls.run(
            verb + " " + key,
            () -> kv.txn().If(cmp).Then(Op.put(bytes(key), bytes(value), put)).commit());
    if (!r.isSucceeded()) {
      return Optional.empty();
    }
    long rev = r.getHeader().getRevision();
    return Optional.of(
        new Lease(
            subnet.ipv4(),
            attrs,
            leaseId,
            expires,
            rev,
            subnet.ipv6(),
            created == 0 ? rev : created));
  }

  @Override
  public boolean deleteLease(SubnetKey subnets) {
    Optional<Lease> l = getLease(subnets);
    String key = keys.subnetKey(l.map(Lease::key).orElse(subnets));
    long deleted = calls.run("delete " + key, () -> kv.delete(bytes(key))).getDeleted();
    l.filter(x -> x.storeLeaseId() != 0).ifPresent(x -> revokeQuietly(x.storeLeaseId()));
    return deleted > 0;
  }

  @Override
  public Optional<Duration> timeToLive(long storeLeaseId) {
    long ttl =
        calls
            .run(
                "lease ttl " + Long.toHexString(storeLeaseId),
                () -> client.getLeaseClient().timeToLive(storeLeaseId, LeaseOption.DEFAULT))
            .getTTL();
    return ttl < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttl));
  }

  @Override
  public Map<Long, Optional<Duration>> timeToLive(Collection<Long> storeLeaseIds) {
    Map<Long, CompletableFuture<LeaseTimeToLiveResponse>> pending = new LinkedHashMap<>();
    for (long id : storeLeaseIds) {
      pending.put(id, client.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT));
    }
    Map<Long, Optional<Duration>> out = new HashMap<>();
    for (var e : pending.entrySet()) {
      try {
        long ttl = e.getValue().get(5, TimeUnit.SECONDS).getTTL();
        out.put(e.getKey(), ttl < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttl)));
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new LeaseStoreException(
            LeaseStoreException.Reason.UNAVAILABLE, "lease ttls: interrupted", x);
      } catch (ExecutionException | TimeoutException x) {
        out.put(e.getKey(), timeToLive(e.getKey())); // once more, with retries and a clear error
      }
    }
    return out;
  }

  @Override
  public RegistryWatch watchLeases(long fromRevision, RegistryWatch.Listener listener) {
    EtcdWatch w =
        new EtcdWatch(
            client.getWatchClient(), keys, fromRevision, listener, this::decode, watches::remove);
    watches.add(w);
    return w;
  }

  @Override
  public RegistryWatch watchConfig(ConfigListener listener) {
    EtcdConfigWatch w =
        new EtcdConfigWatch(
            kv, client.getWatchClient(), keys.configKey(), listener, watches::remove);
    watches.add(w);
    return w;
  }

  @Override
  public void setObserver(RegistryObserver observer) {
    this.observer = observer == null ? RegistryObserver.NONE : observer;
    calls.setObserver(this.observer);
  }

  @Override
  public Optional<String> probe(Duration timeout) {
    String key = keys.configKey();
    try {
      GetResponse r = kv.get(bytes(key)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      calls.healthy();
      return r.getKvs().stream()
          .findFirst()
          .map(k -> k.getValue().toString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeaseStoreException(
          LeaseStoreException.Reason.UNAVAILABLE, "get " + key + ": interrupted", e);
    } catch (TimeoutException e) {
      throw new LeaseStoreException(
          LeaseStoreException.Reason.UNAVAILABLE,
          "get " + key + ": no answer from etcd within " + timeout.toMillis() + " ms",
          e);
    } catch (ExecutionException e) {
      throw EtcdCalls.translate("get " + key, e.getCause());
    }
  }

  @Override
  public boolean reachable(Duration timeout) {
    for (EtcdEndpoint e : endpoints) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
        return true;
      } catch (IOException | IllegalArgumentException x) {
        // try the next one
      }
    }
    return false;
  }

  @Override
  public synchronized void reconnect() {
    Client old = client;
    Client fresh = builder.copy().build();
    client = fresh;
    kv = fresh.getKVClient();
    calls.healthy();
    LOG.info("etcd: reconnected on a fresh connection (the old one's backoff and source dropped)");
    for (ConnectionWatch w : List.copyOf(watches)) {
      w.fail(new IllegalStateException("etcd connection replaced"));
    }
    old.close();
  }

  @Override
  public void close() {
    client.close();
  }

  private void revokeQuietly(long leaseId) {
    if (leaseId == 0) {
      return;
    }
    try {
      calls.run(
          "revoke lease " + Long.toHexString(leaseId),
          () -> client.getLeaseClient().revoke(leaseId));
    } catch (LeaseStoreException e) {
      LOG.debug(
          "could not revoke etcd lease {} (it will expire): {}",
          Long.toHexString(leaseId),
          e.getMessage());
    }
  }

  Optional<Lease> decode(KeyValue k) {
    String key = k.getKey().toString(StandardCharsets.UTF_8);
    Optional<SubnetKey> subnet = keys.subnetsOf(key);
    if (subnet.isEmpty()) {
      malformed(key, "key is not a subnet (want a.b.c.d-len or a.b.c.d-len&ipv6-len)");
      return Optional.empty();
    }
    try {
      LeaseAttrs a = LeaseAttrs.fromJson(k.getValue().toString(StandardCharsets.UTF_8));
      SubnetKey s = subnet.get();
      return Optional.of(
          new Lease(
              s.ipv4(),
              a,
              k.getLease(),
              null,
              k.getModRevision(),
              s.ipv6(),
              k.getCreateRevision()));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      malformed(key, e.getMessage());
      return Optional.empty();
    }
  }

  private void malformed(String key, String reason) {
    String k = LeaseKeys.forLog(key);
    String why = LeaseKeys.forLog(reason);
    LOG.warn("skipping malformed lease {}: {}", k, why);
    observer.malformedLease(k, why);
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
