package io.jflannel.lease.memory;

import io.jflannel.lease.ConfigListener;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseKeys;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseSnapshot;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.RegistryObserver;
import io.jflannel.lease.RegistryWatch;
import io.jflannel.lease.SubnetKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease registry held in memory with etcd's semantics: a global revision, store leases that
 * expire and delete their keys, a bounded history that watches replay from, and compaction.
 */
public final class InMemoryLeaseRegistry implements LeaseRegistry {
  private static final int HISTORY_LIMIT = 100_000;

  private final LeaseKeys keys;
  private final Object lock = new Object();
  private final TreeMap<String, Entry> kv = new TreeMap<>();
  private final Map<Long, StoreLease> storeLeases = new HashMap<>();
  private final ArrayDeque<Change> history = new ArrayDeque<>();
  private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();
  private final Map<MemoryWatch, ConfigListener> configWatches = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile RegistryObserver observer = RegistryObserver.NONE;
  private long revision = 1;
  private long compactRevision;
  private long nextLeaseId = 0x7a3c_0000_0000L;
  private boolean closed;
  private volatile boolean unavailable;

  record Entry(String value, long leaseId, long modRevision, long createRevision) {
    Entry(String value, long leaseId, long modRevision) {
      this(value, leaseId, modRevision, modRevision);
    }
  }

  record StoreLease(long id, Duration ttl, Instant expires, ScheduledFuture<?> expiry) {}

  record Change(long revision, List<LeaseEvent> events) {}

  /** A registry under {@code prefix}. */
  public InMemoryLeaseRegistry(String prefix) {
    this.keys = new LeaseKeys(prefix);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jflannel-memregistry-expiry");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public String prefix() {
    return keys.prefix();
  }

  @Override
  public Optional<String> getNetworkConfig() {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(kv.get(keys.configKey())).map(Entry::value);
    }
  }

  @Override
  public void putNetworkConfig(String json) {
    synchronized (lock) {
      ensureOpen();
      kv.put(keys.configKey(), new Entry(json, 0, ++revision));
      configChanged(Optional.of(json));
    }
  }

  @Override
  public boolean createNetworkConfig(String json) {
    synchronized (lock) {
      ensureOpen();
      if (kv.containsKey(keys.configKey())) {
        return false;
      }
      kv.put(keys.configKey(), new Entry(json, 0, ++revision));
      configChanged(Optional.of(json));
      return true;
    }
  }

  /**
   * The value of exactly this key under the prefix, or null (as etcdctl get reads it): for tests.
   */
  public String getRaw(String relativeKey) {
    synchronized (lock) {
      Entry e = kv.get(keys.prefix() + "/" + relativeKey);
      return e == null ? null : e.value();
    }
  }

  /** Writes any value under the prefix, unchecked (as another etcd client could): for tests. */
  public void putRaw(String relativeKey, String value) {
    synchronized (lock) {
      ensureOpen();
      String key = keys.prefix() + "/" + relativeKey;
      long rev = ++revision;
      Entry before = kv.get(key);
      kv.put(key, new Entry(value, 0, rev, before == null ? rev : before.createRevision()));
      keys.subnetsOf(key)
          .flatMap(s -> decode(key, kv.get(key)))
          .ifPresent(l -> publish(rev, List.of(LeaseEvent.added(l))));
      if (key.equals(keys.configKey())) {
        configChanged(Optional.of(value));
      }
    }
  }

  /** Tells the config watches (called under the lock: in order). */
  private void configChanged(Optional<String> raw) {
    configWatches.forEach((w, l) -> w.call(() -> l.onConfig(raw)));
  }

  /** Deletes any key under the prefix (the config too), as another etcd client could: for tests. */
  public void deleteRaw(String relativeKey) {
    synchronized (lock) {
      ensureOpen();
      String key = keys.prefix() + "/" + relativeKey;
      if (kv.containsKey(key)) {
        remove(List.of(key));
        if (key.equals(keys.configKey())) {
          configChanged(Optional.empty());
        }
      }
    }
  }

  /** Drops history before {@code rev}: watches from an earlier revision get a compaction. */
  public void compact(long rev) {
    synchronized (lock) {
      compactRevision = Math.max(compactRevision, Math.min(rev, revision));
      while (!history.isEmpty() && history.peekFirst().revision() < compactRevision) {
        history.removeFirst();
      }
    }
  }

  /** Ends every running watch with {@code error}, as a dropped connection would: for tests. */
  public void breakWatches(Throwable error) {
    for (MemoryWatch w : watches) {
      w.fail(error);
    }
  }

  /** The current revision. */
  public long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  @Override
  public LeaseSnapshot listLeases() {
    synchronized (lock) {
      ensureOpen();
      List<Lease> out = new ArrayList<>();
      int malformed = 0;
      for (Map.Entry<String, Entry> e : kv.tailMap(keys.subnetsPrefix(), true).entrySet()) {
        if (!e.getKey().startsWith(keys.subnetsPrefix())) {
          break;
        }
        Optional<Lease> l = decode(e.getKey(), e.getValue());
        if (l.isPresent()) {
          out.add(l.get());
        } else {
          malformed++;
        }
      }
      out.sort(Lease.BY_KEY);
      return new LeaseSnapshot(out, revision, malformed);
    }
  }

  @Override
  public Optional<Lease> getLease(SubnetKey subnet) {
    synchronized (lock) {
      ensureOpen();
      String key = keyOf(subnet);
      Entry e = kv.get(key);
      return e == null ? Optional.empty() : decode(key, e);
    }
  }

  @Override
  public Optional<Lease> createLease(SubnetKey subnet, LeaseAttrs attrs, Duration ttl) {
    synchronized (lock) {
      ensureOpen();
      if (kv.containsKey(keys.subnetKey(subnet))) {
        return Optional.empty();
      }
      return Optional.of(write(subnet, attrs, ttl, 0));
    }
  }

  @Override
  public Optional<Lease> updateLease(Lease current, LeaseAttrs attrs, Duration ttl) {
    synchronized (lock) {
      ensureOpen();
      Entry e = kv.get(keys.subnetKey(current.key()));
      if (e == null || e.modRevision() != current.modRevision()) {
        return Optional.empty();
      }
      StoreLease alive = ttl == null ? null : storeLeases.get(e.leaseId());
      if (alive != null) { // keep the store lease: refresh it, put under it
        refresh(alive);
        long rev = ++revision;
        kv.put(
            keys.subnetKey(current.key()),
            new Entry(attrs.toJson(), alive.id(), rev, e.createRevision()));
        Lease l =
            new Lease(
                current.subnet(),
                attrs,
                alive.id(),
                storeLeases.get(alive.id()).expires(),
                rev,
                current.ipv6Subnet(),
                e.createRevision());
        publish(rev, List.of(LeaseEvent.added(l)));
        return Optional.of(l);
      }
      Lease l = write(current.key(), attrs, ttl, e.createRevision());
      release(e.leaseId());
      return Optional.of(l);
    }
  }

  @Override
  public Optional<Lease> renewLease(Lease current) {
    synchronized (lock) {
      ensureOpen();
      StoreLease sl = storeLeases.get(current.storeLeaseId());
      if (sl == null) {
        return Optional.empty();
      }
      return Optional.of(current.withExpiration(refresh(sl)));
    }
  }

  private Instant refresh(StoreLease sl) {
    sl.expiry().cancel(false);
    Instant expires = Instant.now().plus(sl.ttl());
    long id = sl.id();
    ScheduledFuture<?> f =
        timer.schedule(() -> expire(id), sl.ttl().toMillis(), TimeUnit.MILLISECONDS);
    storeLeases.put(id, new StoreLease(id, sl.ttl(), expires, f));
    return expires;
  }

  /**
   * Makes every call fail with UNAVAILABLE and ends every watch, as an etcd outage does (false), or
   * ends the outage (true): for tests.
   */
  public void setAvailable(boolean available) {
    unavailable = !available;
    if (!available) {
      breakWatches(new LeaseStoreException(LeaseStoreException.Reason.UNAVAILABLE, "outage"));
    }
  }

  /** Store leases alive (attached to a key or not): for leak checks in tests. */
  public int storeLeaseCount() {
    synchronized (lock) {
      return storeLeases.size();
    }
  }

  @Override
  public boolean deleteLease(SubnetKey subnet) {
    synchronized (lock) {
      ensureOpen();
      String key = keyOf(subnet);
      Entry e = kv.get(key);
      if (e == null) {
        return false;
      }
      remove(List.of(key));
      release(e.leaseId());
      return true;
    }
  }

  @Override
  public Optional<Duration> timeToLive(long storeLeaseId) {
    synchronized (lock) {
      StoreLease sl = storeLeases.get(storeLeaseId);
      if (sl == null) {
        return Optional.empty();
      }
      Duration left = Duration.between(Instant.now(), sl.expires());
      return left.isNegative() ? Optional.empty() : Optional.of(left);
    }
  }

  @Override
  public RegistryWatch watchLeases(long fromRevision, RegistryWatch.Listener listener) {
    synchronized (lock) {
      ensureOpen();
      MemoryWatch w = new MemoryWatch(listener, this::unregister);
      if (fromRevision > 0 && fromRevision < compactRevision) {
        w.compacted(compactRevision);
        return w;
      }
      for (Change c : history) {
        if (c.revision() >= fromRevision) {
          w.deliver(c.events(), c.revision());
        }
      }
      watches.add(w);
      return w;
    }
  }

  @Override
  public RegistryWatch watchConfig(ConfigListener listener) {
    MemoryWatch w = new MemoryWatch(MemoryWatch.errorsTo(listener), this::unregister);
    synchronized (lock) {
      try {
        ensureOpen();
      } catch (LeaseStoreException e) {
        w.fail(e);
        return w;
      }
      Optional<String> now = Optional.ofNullable(kv.get(keys.configKey())).map(Entry::value);
      w.call(() -> listener.onConfig(now));
      configWatches.put(w, listener);
      watches.add(w);
    }
    return w;
  }

  @Override
  public void setObserver(RegistryObserver observer) {
    this.observer = observer == null ? RegistryObserver.NONE : observer;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    watches.forEach(MemoryWatch::close);
    timer.shutdownNow();
  }

  private void unregister(MemoryWatch w) {
    watches.remove(w);
    configWatches.remove(w);
  }

  /**
   * The key of {@code subnet}'s lease: for an IPv4-only key in either form (its IPv4-only form when
   * there is none), else exactly its key.
   */
  private String keyOf(SubnetKey subnet) {
    if (subnet.ipv6() != null) {
      return keys.subnetKey(subnet);
    }
    String v4 = keys.subnetKey(subnet.ipv4());
    if (kv.containsKey(v4)) {
      return v4;
    }
    String dual = kv.ceilingKey(v4 + "&");
    return dual != null && dual.startsWith(v4 + "&") ? dual : v4;
  }

  /** Puts a lease; {@code created} is the key's create revision, 0 when this put creates it. */
  private Lease write(SubnetKey subnet, LeaseAttrs attrs, Duration ttl, long created) {
    long leaseId = 0;
    Instant expires = null;
    if (ttl != null) {
      leaseId = ++nextLeaseId;
      expires = Instant.now().plus(ttl);
      long id = leaseId;
      ScheduledFuture<?> f =
          timer.schedule(() -> expire(id), ttl.toMillis(), TimeUnit.MILLISECONDS);
      storeLeases.put(leaseId, new StoreLease(leaseId, ttl, expires, f));
    }
    long rev = ++revision;
    long c = created == 0 ? rev : created;
    kv.put(keys.subnetKey(subnet), new Entry(attrs.toJson(), leaseId, rev, c));
    Lease l = new Lease(subnet.ipv4(), attrs, leaseId, expires, rev, subnet.ipv6(), c);
    publish(rev, List.of(LeaseEvent.added(l)));
    return l;
  }

  private void expire(long leaseId) {
    synchronized (lock) {
      if (!closed) {
        release(leaseId); // cancelling the expiry task that is running now is a no-op
      }
    }
  }

  private void release(long leaseId) {
    StoreLease sl = storeLeases.remove(leaseId);
    if (sl != null) {
      sl.expiry().cancel(false);
      List<String> attached = new ArrayList<>();
      kv.forEach(
          (k, e) -> {
            if (e.leaseId() == leaseId) {
              attached.add(k);
            }
          });
      remove(attached);
    }
  }

  private void remove(List<String> toRemove) {
    if (toRemove.isEmpty()) {
      return;
    }
    long rev = ++revision;
    List<LeaseEvent> events = new ArrayList<>();
    for (String k : toRemove) {
      Entry e = kv.remove(k);
      Optional<SubnetKey> subnet = keys.subnetsOf(k);
      if (subnet.isPresent()) {
        SubnetKey s = subnet.get();
        Lease last = decode(k, e).orElse(null);
        events.add(
            LeaseEvent.removed(
                new Lease(
                    s.ipv4(),
                    last == null ? null : last.attrs(),
                    e.leaseId(),
                    null,
                    rev,
                    s.ipv6())));
      }
    }
    if (!events.isEmpty()) {
      publish(rev, events);
    }
  }

  private void publish(long rev, List<LeaseEvent> events) {
    history.addLast(new Change(rev, events));
    if (history.size() > HISTORY_LIMIT) {
      compactRevision = history.removeFirst().revision() + 1;
    }
    for (MemoryWatch w : watches) {
      w.deliver(events, rev);
    }
  }

  private Optional<Lease> decode(String key, Entry e) {
    Optional<SubnetKey> subnet = keys.subnetsOf(key);
    if (subnet.isEmpty()) {
      observer.malformedLease(
          LeaseKeys.forLog(key), "key is not a subnet (want a.b.c.d-len or a.b.c.d-len&ipv6-len)");
      return Optional.empty();
    }
    try {
      Instant exp =
          Optional.ofNullable(storeLeases.get(e.leaseId())).map(StoreLease::expires).orElse(null);
      return Optional.of(
          new Lease(
              subnet.get().ipv4(),
              LeaseAttrs.fromJson(e.value()),
              e.leaseId(),
              exp,
              e.modRevision(),
              subnet.get().ipv6(),
              e.createRevision()));
    } catch (IllegalArgumentException ex) {
      observer.malformedLease(LeaseKeys.forLog(key), LeaseKeys.forLog(ex.getMessage()));
      return Optional.empty();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new LeaseStoreException(
          LeaseStoreException.Reason.CLOSED, "in-memory registry is closed");
    }
    if (unavailable) {
      throw new LeaseStoreException(
          LeaseStoreException.Reason.UNAVAILABLE, "in-memory registry is unavailable (outage)");
    }
  }
}
