package io.jflannel.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the other nodes' leases: lists them (the snapshot), then watches from the snapshot's
 * revision. A failed watch reconnects from the last revision seen after a {@link Backoff} delay
 * (doubling from 100 ms to 5 s, fully jittered, so a fleet's watchers do not reconnect in step); a
 * compaction makes it list again and diff the new snapshot against what it knew, so the listener
 * sees one event model (ADDED, REMOVED) whatever happened underneath. Our own lease is not reported
 * as a peer.
 *
 * <p>What it does not guarantee: during an outage no events arrive; a lease that came and went
 * while the watcher was compacted out is never seen. Listener calls all come from one thread,
 * {@code jflannel-lease-watch}; events that arrive while it is busy are handed over together at its
 * next wake-up, in order.
 */
public final class LeaseWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseWatcher.class);

  /** Receives the peer set. */
  public interface Listener {
    /** The first full list of peers (not our own lease). Called once. */
    void onSnapshot(List<Lease> peers);

    /** Changes after the snapshot, in order. */
    void onEvents(List<LeaseEvent> events);

    /** The watch or a listing failed (etcd may be unreachable); a retry is scheduled. */
    default void onFailure(String why) {}

    /** The watch delivered again (events or a progress notification) after a failure. */
    default void onResumed() {}
  }

  private final LeaseRegistry registry;
  private final SubnetKey own;
  private final Listener listener;
  private final LeaseKeeper keeper;
  private final ScheduledExecutorService executor;
  private final Map<SubnetKey, Lease> known = new HashMap<>();
  private final AtomicReference<LeaseKeeper.State> state =
      new AtomicReference<>(LeaseKeeper.State.LATENT);
  private RegistryWatch watch;
  private long revision;
  private boolean snapshotDelivered;
  private final Backoff retries;
  private int generation;
  private boolean failing;
  private java.util.concurrent.ScheduledFuture<?> pending;
  private Runnable pendingTask;
  private final ConcurrentLinkedQueue<Delivery> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();

  /** Watch events as the store delivered them, tagged with the watch they came from. */
  private record Delivery(int generation, List<LeaseEvent> events, long revision) {}

  LeaseWatcher(
      LeaseRegistry registry,
      LeaseStoreOptions options,
      SubnetKey own,
      Listener listener,
      LeaseKeeper keeper) {
    this.registry = registry;
    this.own = own;
    this.listener = listener;
    this.keeper = keeper;
    this.retries = new Backoff(options.watchBackoffMin(), options.watchBackoffMax());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jflannel-lease-watch");
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    if (state.compareAndSet(LeaseKeeper.State.LATENT, LeaseKeeper.State.STARTED)) {
      executor.execute(this::listAndWatch);
    }
  }

  /** The revision the watcher has seen up to. */
  public long revision() {
    return revision;
  }

  private void listAndWatch() {
    if (state.get() != LeaseKeeper.State.STARTED) {
      return;
    }
    LeaseSnapshot snap;
    try {
      snap = registry.listLeases();
    } catch (LeaseStoreException e) {
      Duration d = retries.next();
      failing = true;
      LOG.warn("cannot list leases: {} (retrying in {} ms)", e.getMessage(), d.toMillis());
      listener.onFailure(e.getMessage());
      retry(this::listAndWatch, d);
      return;
    }
    retries.reset();
    if (failing) {
      failing = false;
      listener.onResumed();
    }
    Map<SubnetKey, Lease> fresh = new HashMap<>();
    for (Lease l : snap.leases()) {
      SubnetKey k = l.key();
      if (!own.equals(k)) {
        fresh.put(k, l);
      }
    }
    if (!snapshotDelivered) {
      known.putAll(fresh);
      snapshotDelivered = true;
      List<Lease> peers = new ArrayList<>(fresh.values());
      peers.sort(Lease.BY_KEY);
      listener.onSnapshot(peers);
    } else {
      List<LeaseEvent> diff = new ArrayList<>();
      for (Lease old : known.values()) {
        if (!fresh.containsKey(old.key())) {
          diff.add(LeaseEvent.removed(old));
        }
      }
      for (Lease l : fresh.values()) {
        Lease old = known.get(l.key());
        if (old == null || !old.attrs().toJson().equals(l.attrs().toJson())) {
          diff.add(LeaseEvent.added(l));
        }
      }
      known.clear();
      known.putAll(fresh);
      LOG.info(
          "re-listed {} leases at revision {}: {} changes",
          fresh.size(),
          snap.revision(),
          diff.size());
      if (!diff.isEmpty()) {
        listener.onEvents(diff);
      }
      if (keeper != null) { // our own key's events may have been compacted away with the rest
        keeper.relisted(
            snap.leases().stream().filter(l -> own.equals(l.key())).findFirst().orElse(null));
      }
    }
    revision = snap.revision();
    startWatch();
  }

  private void startWatch() {
    int gen = ++generation;
    watch =
        registry.watchLeases(
            revision + 1,
            new RegistryWatch.Listener() {
              @Override
              public void onEvents(List<LeaseEvent> events, long rev) {
                inbox.add(new Delivery(gen, events, rev));
                if (drainQueued.compareAndSet(false, true)) {
                  submit(LeaseWatcher.this::drain);
                }
              }

              @Override
              public void onCompacted(long compactRevision) {
                submit(
                    () -> {
                      if (gen == generation) {
                        LOG.warn(
                            "lease watch compacted at revision {} (we were at {}): listing again",
                            compactRevision,
                            revision);
                        listAndWatch();
                      }
                    });
              }

              @Override
              public void onError(Throwable error) {
                submit(
                    () -> {
                      if (gen == generation) {
                        Duration d = retries.next();
                        LOG.warn(
                            "lease watch failed: {} (reconnecting from revision {} in {} ms)",
                            error.getMessage(),
                            revision + 1,
                            d.toMillis());
                        failing = true;
                        listener.onFailure(String.valueOf(error.getMessage()));
                        retry(LeaseWatcher.this::rewatch, d);
                      }
                    });
              }
            });
  }

  private void rewatch() {
    if (state.get() == LeaseKeeper.State.STARTED) {
      try {
        startWatch();
      } catch (RuntimeException e) {
        retry(this::rewatch, retries.next());
      }
    }
  }

  /**
   * Everything delivered since the last wake-up, handed to the listener as one list: a burst of
   * puts becomes a few kernel batches instead of one per put.
   */
  private void drain() {
    drainQueued.set(false);
    List<LeaseEvent> all = new ArrayList<>();
    long rev = -1;
    for (Delivery d; (d = inbox.poll()) != null; ) {
      if (d.generation() == generation) {
        all.addAll(d.events());
        rev = Math.max(rev, d.revision());
      }
    }
    if (rev >= 0) {
      handle(all, rev);
    }
  }

  private void handle(List<LeaseEvent> events, long rev) {
    retries.reset();
    if (failing) {
      failing = false;
      listener.onResumed();
    }
    revision = Math.max(revision, rev);
    List<LeaseEvent> peers = new ArrayList<>(events.size());
    for (LeaseEvent e : events) {
      SubnetKey s = e.lease().key();
      if (LOG.isDebugEnabled()) {
        LOG.debug("watch: {} {} (revision {})", e.type(), LeaseKeys.forLog(s.toKey()), rev);
      }
      if (own.equals(s)) {
        if (keeper != null) {
          keeper.ownKeyEvent(e);
        }
        continue;
      }
      if (e.type() == LeaseEvent.Type.ADDED) {
        known.put(s, e.lease());
        peers.add(e);
      } else {
        Lease last = known.remove(s);
        peers.add(LeaseEvent.removed(last != null && e.lease().attrs() == null ? last : e.lease()));
      }
    }
    if (!peers.isEmpty()) {
      listener.onEvents(peers);
    }
  }

  /**
   * The store is answering again: run a pending reconnect now instead of after its backoff (on the
   * watcher's thread).
   */
  public void retryNow() {
    submit(
        () -> {
          if (pending != null && pending.cancel(false)) {
            Runnable r = pendingTask;
            pending = null;
            retries.reset();
            r.run();
          }
        });
  }

  private void submit(Runnable r) {
    if (state.get() == LeaseKeeper.State.STARTED) {
      try {
        executor.execute(r);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed concurrently: the event is dropped with the watcher
      }
    }
  }

  private void retry(Runnable r, Duration delay) {
    if (state.get() != LeaseKeeper.State.STARTED) {
      return;
    }
    pendingTask = r;
    pending = executor.schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (state.getAndSet(LeaseKeeper.State.CLOSED) != LeaseKeeper.State.CLOSED) {
      executor.execute(
          () -> {
            if (watch != null) {
              watch.close();
            }
          });
      executor.shutdown();
    }
  }
}
