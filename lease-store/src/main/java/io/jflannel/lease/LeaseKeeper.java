package io.jflannel.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one lease alive: renews it {@code renewMargin} before it expires, retries while etcd is
 * unreachable (a jittered {@link Backoff}, 0.5 s doubling to 10 s), and re-creates the same subnet
 * when its key is deleted or expires. A reservation needs no renewal but is still re-created if it
 * vanishes.
 *
 * <p>It reads its key only when the watch says something happened to it (a delete, a put by another
 * node, a re-list after a compaction that no longer shows it): an idle node sends etcd nothing but
 * its keep-alive at renewal time.
 *
 * <p>What it does not guarantee: if another node takes the subnet while our key is gone, the lease
 * is lost ({@link Listener#lost}) and the agent must restart to pick a new subnet.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  /** State: LATENT until started, STARTED, CLOSED. */
  public enum State {
    LATENT,
    STARTED,
    CLOSED
  }

  /** Lease lifecycle callbacks, called on the keeper's thread. */
  public interface Listener {
    /** The lease was renewed. */
    default void renewed(Lease lease) {}

    /** Our key had vanished and the same subnet was taken again. */
    default void reacquired(Lease lease) {}

    /** Another node holds our subnet now. */
    default void lost(Lease lease, String why) {}

    /** A renewal attempt failed; it will be retried. */
    default void renewFailed(Lease lease, Throwable cause) {}
  }

  private final LeaseRegistry registry;
  private final LeaseStoreOptions options;
  private final Listener listener;
  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final ScheduledExecutorService executor;
  private volatile Lease current;
  private ScheduledFuture<?> next;
  private final Backoff retries = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
  private volatile boolean failing;
  private volatile boolean checkDue;
  private volatile Instant renewDue;

  LeaseKeeper(LeaseRegistry registry, LeaseStoreOptions options, Lease lease, Listener listener) {
    this.registry = registry;
    this.options = options;
    this.current = lease;
    this.renewDue = Instant.now().plus(options.renewAfter());
    this.listener = listener == null ? new Listener() {} : listener;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jflannel-lease-keeper");
              t.setDaemon(true);
              return t;
            });
  }

  /** The lease as last written. */
  public Lease current() {
    return current;
  }

  /** LATENT, STARTED or CLOSED. */
  public State state() {
    return state.get();
  }

  void start() {
    if (state.compareAndSet(State.LATENT, State.STARTED)) {
      scheduleNormal();
    }
  }

  /** Called by the watcher for events on our own key. */
  void ownKeyEvent(LeaseEvent e) {
    if (e.type() == LeaseEvent.Type.REMOVED || !ours(e.lease())) {
      requestCheck();
    }
  }

  /** Called by the watcher after a re-list: our key as listed, or null when it was not. */
  void relisted(Lease ownKey) {
    if (ownKey == null || !ours(ownKey)) {
      requestCheck();
    }
  }

  /**
   * Whether {@code l}, read from our key, is still ours: under our etcd lease (our own writes keep
   * it, an address move included), or, for a reservation, naming this node.
   */
  private boolean ours(Lease l) {
    Lease c = current;
    return c.storeLeaseId() != 0
        ? l.storeLeaseId() == c.storeLeaseId()
        : l.attrs() != null && l.attrs().sameNode(c.attrs());
  }

  private void requestCheck() {
    if (state.get() == State.STARTED) {
      checkDue = true;
      try {
        executor.execute(this::tick);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /**
   * The store is answering again: retry a failed renewal or check now instead of after the backoff.
   */
  public void retryNow() {
    if (failing && state.get() == State.STARTED) {
      try {
        executor.execute(this::tick);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /** Renew now (e.g. for tests or an operator's request). */
  public void renewNow() {
    renewDue = Instant.now();
    executor.execute(this::tick);
  }

  private Duration checkInterval() {
    Duration quarter = options.leaseTtl().dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60) : quarter;
  }

  /** Runs {@link #tick} after {@code delay}, or at the next periodic check if that comes first. */
  private synchronized void scheduleTick(Duration delay) {
    if (state.get() != State.STARTED) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    Duration d = delay.compareTo(checkInterval()) < 0 ? delay : checkInterval();
    next = executor.schedule(this::tick, Math.max(0, d.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void scheduleNormal() {
    retries.reset();
    failing = false;
    scheduleTick(
        current.isReservation() ? checkInterval() : Duration.between(Instant.now(), renewDue));
  }

  /** A check when one is due, else a renewal when it is due, else nothing but the next wake-up. */
  private void tick() {
    if (checkDue) {
      check();
    } else if (!current.isReservation() && !Instant.now().isBefore(renewDue)) {
      renew();
    } else {
      scheduleNormal();
    }
  }

  /** Looks at our key: re-creates it if gone, gives up if someone else holds it. */
  private void check() {
    try {
      Optional<Lease> now = registry.getLease(current.key());
      if (now.isEmpty()) {
        recreate("its key was deleted or expired");
        return;
      }
      Lease l = now.get();
      if (!ours(l)) {
        lose("subnet " + l.key() + " is now held by " + l.attrs().nodeAddress());
        return;
      }
      current = l.withExpiration(current.expiration());
      checkDue = false;
      scheduleNormal();
    } catch (LeaseStoreException e) {
      retryLater(e);
    }
  }

  private void renew() {
    if (current.isReservation()) {
      check();
      return;
    }
    try {
      Optional<Lease> r = registry.renewLease(current);
      if (r.isEmpty()) {
        check(); // its store lease expired: the key is gone too, or going
        return;
      }
      current = r.get();
      renewDue = Instant.now().plus(options.renewAfter());
      scheduleNormal();
      LOG.info("renewed lease {} (expires {})", current.key(), current.expiration());
      listener.renewed(current);
    } catch (LeaseStoreException e) {
      retryLater(e);
    }
  }

  private void recreate(String why) {
    Duration ttl = current.isReservation() ? null : options.leaseTtl();
    Optional<Lease> r = registry.createLease(current.key(), current.attrs(), ttl);
    if (r.isPresent()) {
      checkDue = false;
      LOG.warn("lease {} was lost ({}): took the same subnets again", current.key(), why);
      written(r.get());
      listener.reacquired(current);
    } else {
      check();
    }
  }

  private void written(Lease l) {
    current = l;
    renewDue = Instant.now().plus(options.renewAfter());
    scheduleNormal();
  }

  private void lose(String why) {
    LOG.error("lease {} lost: {}", current.key(), why);
    listener.lost(current, why);
    close();
  }

  private void retryLater(LeaseStoreException e) {
    failing = true;
    Duration d = retries.next();
    LOG.warn("lease {}: {} (retrying in {} ms)", current.key(), e.getMessage(), d.toMillis());
    listener.renewFailed(current, e);
    scheduleTick(d);
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) != State.CLOSED) {
      executor.shutdownNow();
    }
  }
}
