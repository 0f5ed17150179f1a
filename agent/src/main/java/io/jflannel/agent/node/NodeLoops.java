package io.jflannel.agent.node;

import io.jflannel.agent.host.DockerBridge;
import io.jflannel.agent.host.InterfaceCheck;
import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.backend.Drift;
import io.jflannel.backend.PeerSync;
import io.jflannel.backend.Repair;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseKeeper;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseWatcher;
import io.jflannel.netlink.NetlinkEvent;
import io.jflannel.netlink.NetlinkMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running node does until SIGTERM: keeps its lease, follows the peers' leases into the
 * kernel, answers kernel events, reconciles and resyncs the firewall periodically, follows etcd's
 * health and its config ({@link EtcdWatchdog}), and saves the last-known-good peers off the event
 * path.
 */
final class NodeLoops implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLoops.class);
  static final long RESYNC_DELAY_MS = 20;
  static final long SAVE_DELAY_MS = 500;

  private final NodeSettings o;
  private final Collaborators c;
  private final Lifecycle lc;
  private final AgentMetrics metrics;
  private final LocalState local;
  private final LeaseStore store;
  private final Running r;
  private final Lease own;
  private final NodeHooks hooks;
  private final AddressWatch addresses;
  private final AtomicBoolean addressCheckPending = new AtomicBoolean();
  private final AtomicBoolean moving = new AtomicBoolean();
  private final ScheduledExecutorService exec =
      Executors.newScheduledThreadPool(2, DaemonThreads.named("jflannel-loop"));
  private final AtomicBoolean resyncPending = new AtomicBoolean();
  private final AtomicBoolean savePending = new AtomicBoolean();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private volatile long lastLoopMs;
  private volatile boolean closed;
  private long repairsSeen;
  private EtcdWatchdog watchdog;
  private volatile LeaseKeeper keeper;
  private volatile LeaseWatcher watcher;

  NodeLoops(
      NodeSettings o,
      Collaborators c,
      Lifecycle lc,
      AgentMetrics metrics,
      LocalState local,
      LeaseStore store,
      Running r,
      Lease own,
      NodeHooks hooks) {
    this.o = o;
    this.c = c;
    this.lc = lc;
    this.metrics = metrics;
    this.local = local;
    this.store = store;
    this.r = r;
    this.own = own;
    this.hooks = hooks;
    this.addresses = new AddressWatch(c.netlink(), o.iface(), c.ext(), r.config());
  }

  void start() {
    lastLoopMs = c.clockMs().getAsLong();
    if (own.expiration() != null) {
      leaseExpires(own);
    }
    r.sync().own(own);
    // first: the keeper's and the watch's failures go to it from their first call
    watchdog =
        new EtcdWatchdog(
            c.registry(), lc, metrics, c.clockMs(), r.config(), this::etcdAnswers, exec);
    keeper = store.keep(own, keeperListener());
    closeables.add(keeper);
    watcher = store.watch(own.key(), watchListener(), keeper);
    closeables.add(watcher);
    closeables.add(watchdog);
    closeables.add(exec::shutdownNow);
    NetlinkMonitor monitor = c.netlink().monitor(this::kernelEvent);
    closeables.add(monitor);
    every(o.node().reconcileInterval().toMillis(), this::reconcile);
    every(o.firewall().resync().toMillis(), this::resyncFirewall);
    if (o.node().blackholeRoute()) {
      blackhole();
      every(o.firewall().resync().toMillis(), this::blackhole);
    }
    every(EtcdWatchdog.PERIOD.toMillis(), watchdog::tick);
    exec.execute(watchdog::tick);
  }

  /** etcd answers again: the keeper and the watch retry now if they wait in a backoff. */
  private void etcdAnswers() {
    LeaseKeeper k = keeper;
    LeaseWatcher w = watcher;
    if (k != null) {
      k.retryNow();
    }
    if (w != null) {
      w.retryNow();
    }
  }

  /** A periodic task that survives its own failures (a thrown exception would end the schedule). */
  private void every(long ms, Runnable task) {
    exec.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("periodic task failed: {}", e.toString());
          }
        },
        ms,
        ms,
        TimeUnit.MILLISECONDS);
  }

  private LeaseKeeper.Listener keeperListener() {
    return new LeaseKeeper.Listener() {
      @Override
      public void renewed(Lease l) {
        leaseExpires(l);
      }

      @Override
      public void reacquired(Lease l) {
        leaseExpires(l);
        r.sync().own(l); // a new key: a new create revision
        publish();
      }

      @Override
      public void renewFailed(Lease l, Throwable cause) {
        watchdog.suspect();
      }

      @Override
      public void lost(Lease l, String why) {
        hooks
            .fatal()
            .accept(
                "lost our lease: "
                    + why
                    + "; exiting so that a restart picks a new subnet"
                    + " (see docs/troubleshooting.md#lost-lease)");
      }
    };
  }

  private LeaseWatcher.Listener watchListener() {
    return new LeaseWatcher.Listener() {
      @Override
      public void onSnapshot(List<Lease> peers) {
        LOG.info("first snapshot: {} leases listed; programming them", peers.size());
        long t0 = System.nanoTime();
        r.sync().snapshot(peers);
        metrics.convergence.observe((System.nanoTime() - t0) / 1e9);
        scheduleSave();
        publish();
        if (lc.on(LifecycleEvent.SNAPSHOT_PROGRAMMED, null).programmed()) {
          LOG.info(
              "ready: {} peers programmed ({} kernel objects)",
              r.sync().peerCount(),
              r.sync().objectCount());
        }
      }

      @Override
      public void onFailure(String why) {
        watchdog.suspect();
      }

      @Override
      public void onEvents(List<LeaseEvent> events) {
        long t0 = System.nanoTime();
        metrics.watchEvents.inc(events.size());
        r.sync().events(events);
        metrics.convergence.observe((System.nanoTime() - t0) / 1e9);
        scheduleSave();
        publish();
      }
    };
  }

  private void leaseExpires(Lease l) {
    long unix = l.expiration() == null ? 0 : l.expiration().getEpochSecond();
    metrics.leaseExpiry.set(unix);
    lc.update(s -> s.withLeaseExpiry(unix));
  }

  /** A kernel event: answered on the spot, or a full repair scheduled. */
  private void kernelEvent(NetlinkEvent e) {
    if (e.link() != null || e.object() instanceof io.jflannel.netlink.Address) {
      scheduleAddressCheck();
    }
    PeerSync.Reaction x = r.sync().kernelEvent(e);
    if (x == PeerSync.Reaction.RESYNC) {
      scheduleResync();
    } else if (x == PeerSync.Reaction.FIXED) {
      publish();
    }
  }

  /** An address or link changed: look at the interface a second later (a renewal settles). */
  private void scheduleAddressCheck() {
    if (!closed && addressCheckPending.compareAndSet(false, true)) {
      exec.schedule(
          () -> {
            addressCheckPending.set(false);
            checkAddress();
          },
          ADDRESS_SETTLE_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  /** Hands the agent the interface to move to, once, when the node's advertised one changed. */
  void checkAddress() {
    if (closed || moving.get()) {
      return;
    }
    addresses
        .moved()
        .ifPresent(
            next -> {
              if (moving.compareAndSet(false, true)) {
                hooks.moved().accept(next);
              }
            });
  }

  private void scheduleResync() {
    if (!closed && resyncPending.compareAndSet(false, true)) {
      exec.schedule(
          () -> {
            resyncPending.set(false);
            reconcile();
          },
          RESYNC_DELAY_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  private void scheduleSave() {
    if (!closed && savePending.compareAndSet(false, true)) {
      exec.schedule(
          () -> {
            savePending.set(false);
            local.savePeers(r.sync().peers());
          },
          SAVE_DELAY_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  /** Repairs kernel objects and devices; keeps the "kernel" condition honest. */
  Repair reconcile() {
    lastLoopMs = c.clockMs().getAsLong();
    if (closed) {
      return Repair.NONE;
    }
    try {
      Repair rep = r.sync().repair();
      List<String> problems = r.sync().problems();
      lc.condition("kernel", problems.isEmpty() ? null : String.join("; ", problems));
      if (o.node().dockerBridge() != null && r.subnet() != null) {
        lc.condition(
            "docker", DockerBridge.mismatch(c.netlink(), o.node().dockerBridge(), r.subnet()));
      }
      lc.condition("interface", InterfaceCheck.problem(c.netlink(), c.ext(), r.config()));
      checkAddress();
      lc.condition("cni", o.cni().check(r.env()));
      if (o.node().netConfigFile() != null) {
        lc.condition(
            "config-file",
            ConfigFileCheck.problem(
                o.node().netConfigFile(), r.config(), c.registry().prefix() + "/config"));
      }
      long now = c.clockMs().getAsLong();
      lc.update(s -> s.with(s.sync().reconciled(now, rep.repaired().size())));
      if (problems.isEmpty()) {
        metrics.lastReconcile.set(now / 1000.0);
      }
      leased(); // here, not per event: it walks every lease
      publish();
      LOG.debug(
          "reconcile: {} peers, {} kernel objects, {} repaired, {} not repairable",
          r.sync().peerCount(),
          r.sync().objectCount(),
          rep.repaired().size(),
          rep.failed().size());
      return rep;
    } catch (RuntimeException e) {
      LOG.warn("reconcile failed: {}", e.getMessage());
      lc.condition("kernel", "reconcile failed: " + e.getMessage());
      return Repair.NONE;
    }
  }

  /** Restores the firewall rules if they drifted; returns the drift it found. */
  List<Drift> resyncFirewall() {
    if (closed) {
      return List.of();
    }
    try {
      List<Drift> drift = r.firewall().drift();
      if (!drift.isEmpty()) {
        LOG.warn("firewall rules missing or changed ({}): restoring them", drift.size());
        r.firewall().apply();
        metrics.iptablesRestores.inc();
      } else {
        LOG.debug("firewall rules in place");
      }
      lc.condition("iptables", null);
      lc.condition("forward", r.firewall().dataPathProblem());
      return drift;
    } catch (RuntimeException e) {
      lc.condition("iptables", e.getMessage());
      return List.of();
    }
  }

  private synchronized void publish() {
    long repairs = r.sync().repairCount();
    if (repairs > repairsSeen) {
      metrics.repairs.inc(repairs - repairsSeen);
      repairsSeen = repairs;
    }
    publishSync(lc, r.sync(), -1);
    metrics.peers.set(r.sync().peerCount());
    metrics.objects.set(r.sync().objectCount());
    metrics.rejectedNow.set(r.sync().rejected().size());
    metrics.conflictsNow.set(r.sync().conflictCount());
    ownConflict();
    var bugs = r.sync().backendFailures();
    lc.condition(
        "backend",
        bugs.isEmpty()
            ? null
            : "the backend failed on "
                + bugs.size()
                + " lease(s) with an error that is a bug, not bad lease data (see the log): "
                + bugs.values().iterator().next());
  }

  /** Leases holding a subnet of each family: ours, the peers', the rejected ones. */
  private void leased() {
    int v4 = r.subnets().ipv4() == null ? 0 : 1;
    int v6 = r.subnets().ipv6() == null ? 0 : 1;
    for (Lease l : r.sync().peers()) {
      v4 += l.subnet() == null ? 0 : 1;
      v6 += l.ipv6Subnet() == null ? 0 : 1;
    }
    for (io.jflannel.backend.Rejection x : r.sync().rejected()) {
      v4 += x.lease().subnet() == null ? 0 : 1;
      v6 += x.lease().ipv6Subnet() == null ? 0 : 1;
    }
    if (r.config().ipv4()) {
      metrics.subnetsLeased.labelValues("ipv4").set(v4);
    }
    if (r.config().dualStack()) {
      metrics.subnetsLeased.labelValues("ipv6").set(v6);
    }
  }

  /**
   * A lease of ours that loses to an older one is programmed by no other node: say so (the next
   * start gives it up and takes another subnet, {@code LeaseStore.acquire}).
   */
  private void ownConflict() {
    var c = r.sync().ownConflict();
    lc.condition(
        "lease",
        c == null
            ? null
            : "this node's lease "
                + own.key().toKey()
                + " loses to the older lease "
                + c.holder().toKey()
                + " ("
                + c.holderNode()
                + "): both claim "
                + c.claim()
                + "; other nodes do not program this node's subnet; restart the agent to take"
                + " another one");
  }

  /** Puts the sync's counters into the status (last reconcile kept when {@code repairs} < 0). */
  static void publishSync(Lifecycle lc, PeerSync sync, int repairs) {
    lc.update(
        s ->
            s.with(
                new StatusSnapshot.SyncInfo(
                    sync.peerCount(),
                    sync.rejected().size(),
                    sync.conflictCount(),
                    sync.objectCount(),
                    sync.repairCount(),
                    s.sync().lastReconcileMs(),
                    repairs < 0 ? s.sync().lastReconcileRepairs() : repairs)));
  }

  /** How long after an address event the interface is looked at again. */
  static final long ADDRESS_SETTLE_MS = 1000;

  /** Metric of the blackhole route: above the bridge's own route for the subnet, which wins. */
  static final int BLACKHOLE_METRIC = 1000;

  /**
   * flanneld's {@code --ip-blackhole-route}: packets for this node's unused pod addresses are
   * dropped here instead of leaving by the default route. At a high metric, so that it coexists
   * with the bridge's route for the subnet (flanneld's, at metric 0, clashes with it).
   */
  private void blackhole() {
    if (!closed) {
      try {
        if (r.subnet() != null) {
          c.netlink().replace(io.jflannel.netlink.Route.blackhole(r.subnet(), BLACKHOLE_METRIC));
        }
        if (r.subnets().ipv6() != null) {
          c.netlink()
              .replace(io.jflannel.netlink.Route.blackhole(r.subnets().ipv6(), BLACKHOLE_METRIC));
        }
      } catch (RuntimeException e) {
        LOG.warn("blackhole route for {}: {}", r.subnets(), e.getMessage());
      }
    }
  }

  /** Null while the loop runs; else how long it has not. */
  String stalled() {
    long idle = c.clockMs().getAsLong() - lastLoopMs;
    long limit = Math.max(30_000, 3 * o.node().reconcileInterval().toMillis());
    return idle > limit ? "the reconcile loop has not run for " + idle / 1000 + " s" : null;
  }

  @Override
  public void close() {
    closed = true;
    if (savePending.getAndSet(false)) {
      local.savePeers(r.sync().peers()); // a debounced save must not be lost on SIGTERM
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.debug("close: {}", e.toString());
      }
    }
  }
}
