package io.jflannel.agent;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.Drift;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseKeeper;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.LeaseStoreOptions;
import io.jflannel.lease.LeaseWatcher;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.lease.etcd.EtcdOptions;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.Sysctl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent run (DESIGN.md §6). Returns the process exit code: 0 after SIGTERM, 1 on a startup
 * error (one line on stderr) or a lost lease.
 */
final class Agent {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static volatile boolean stopping;

  private final AgentOptions o;
  private final AgentMetrics metrics = new AgentMetrics();
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicInteger exitCode = new AtomicInteger(0);
  private final AtomicBoolean ready = new AtomicBoolean();
  private final SdNotify sd = SdNotify.fromEnvironment();
  private volatile String notReady = "starting";
  private final AgentStatus status = new AgentStatus(() -> ready.get() ? null : notReady);
  private AdminServer admin;
  private volatile PeerSync sync;
  private volatile Iptables ipt;
  private ScheduledExecutorService loops;

  Agent(AgentOptions o) {
    this.o = o;
  }

  /** True once a SIGTERM (JVM shutdown) is being handled. */
  static boolean stopping() {
    return stopping;
  }

  int run() {
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  stop.countDown();
                  try {
                    main.join(2000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "jflannel-shutdown"));
    try {
      start();
      stop.await();
      LOG.info("stopping: lease and kernel state are kept for the next start");
      sd.stopping();
      return exitCode.get();
    } catch (StartupException e) {
      System.err.println("jflanneld: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return exitCode.get();
    } finally {
      closeAll();
    }
  }

  private void start() throws InterruptedException {
    Netlink nl = keep(open(Netlink::open, "cannot open a netlink socket"));
    ExternalInterface ext =
        open(() -> InterfacePicker.pick(nl, o.ifaces(), o.ifaceRegex(), o.publicIp()), "interface");
    LOG.info(
        "using interface {} ({}), public IP {}", ext.link().name(), ext.address(), ext.publicIp());
    checkIpForward();
    EtcdLeaseRegistry registry =
        keep(
            open(
                () ->
                    EtcdLeaseRegistry.connect(
                        EtcdOptions.builder()
                            .endpoints(o.etcdEndpoints())
                            .prefix(o.etcdPrefix())
                            .tls(o.etcdCaFile(), o.etcdCertFile(), o.etcdKeyFile())
                            .auth(o.etcdUsername(), o.etcdPassword())
                            .build()),
                "etcd options"));
    registry.setObserver(new MetricsObserver(metrics, status));
    if (o.adminSocket() != null) {
      admin =
          keep(
              open(
                  () ->
                      new AdminServer(
                          o.adminSocket(),
                          new AdminService(
                              status, nl, this::reconcileNow, String.join(",", o.etcdEndpoints()))),
                  "admin socket " + o.adminSocket()));
    }
    if (o.healthzPort() != 0) {
      keep(
          open(
              () ->
                  new HealthServer(
                      o.healthzIp(),
                      o.healthzPort(),
                      () -> null,
                      () -> ready.get() ? null : notReady,
                      metrics.registry),
              "cannot listen on " + o.healthzIp() + ":" + o.healthzPort()));
    }
    LeaseStore store =
        LeaseStore.create(
            registry, LeaseStoreOptions.defaults().withTtl(o.leaseTtl(), o.renewMargin()));
    notReady = "waiting for the network config in etcd";
    NetworkConfig config = awaitConfig(store, nl, ext);
    BackendFactory factory =
        BackendFactory.find(config.backend().type())
            .orElseThrow(
                () ->
                    new StartupException(
                        "backend " + config.backend().type() + " is not on the class path"));
    OfflineStart.Started offline = offlineStart.takeOver(config);
    Backend backend =
        keep(
            offline != null
                ? offline.backend()
                : open(
                    () -> factory.create(new BackendContext(nl, ext, config, o.stateDir())),
                    "backend"));
    var attrs =
        offline != null
            ? offline.attrs()
            : open(backend::prepare, config.backend().type() + " backend");
    BackendMetrics.register(metrics.registry, backend.metrics());
    notReady = "acquiring a lease";
    status.ext = ext;
    status.config = config;
    status.backend = backend;
    Lease own = acquire(store, config, attrs);
    status.own = own;
    backend.start(own);
    Iptables ipt =
        new Iptables(config.network(), own.subnet(), o.ipMasq(), o.iptablesForwardRules());
    open(
        () -> {
          ipt.apply();
          return null;
        },
        "iptables");
    metrics.iptablesRestores.inc();
    SubnetEnv env = new SubnetEnv(config.network(), own.subnet(), backend.mtu(), o.ipMasq());
    open(
        () -> {
          env.writeTo(o.subnetFile());
          return null;
        },
        "cannot write " + o.subnetFile());
    LOG.info("wrote {}: subnet {} mtu {}", o.subnetFile(), own.subnet(), backend.mtu());

    PeerSync sync = new PeerSync(nl, backend, config.network(), config.subnetLen(), own.subnet());
    status.iptables = ipt;
    this.sync = sync;
    this.ipt = ipt;
    PeerSnapshotStore snapshots = new PeerSnapshotStore(o.stateDir());
    LeaseKeeper keeper =
        keep(
            store.keep(
                own,
                new LeaseKeeper.Listener() {
                  @Override
                  public void renewed(Lease l) {
                    leaseExpires(l.expiration() == null ? 0 : l.expiration().getEpochSecond());
                  }

                  @Override
                  public void lost(Lease l, String why) {
                    LOG.error(
                        "lost our lease: {}; exiting so that a restart picks a new subnet", why);
                    exitCode.set(1);
                    stop.countDown();
                  }
                }));
    if (own.expiration() != null) {
      leaseExpires(own.expiration().getEpochSecond());
    }
    notReady = "programming the first peer snapshot";
    keep(
        store.watch(
            own.subnet(),
            new LeaseWatcher.Listener() {
              @Override
              public void onSnapshot(List<Lease> peers) {
                long t0 = System.nanoTime();
                sync.snapshot(peers);
                metrics.convergence.observe((System.nanoTime() - t0) / 1e9);
                snapshots.save(sync.peers());
                update(sync);
                status.sync = sync;
                if (!ready.getAndSet(true)) {
                  becameReady();
                  sd.ready("subnet " + own.subnet() + ", " + peers.size() + " peers programmed");
                }
                LOG.info(
                    "ready: {} peers programmed ({} kernel objects)",
                    peers.size(),
                    sync.objectCount());
              }

              @Override
              public void onEvents(List<LeaseEvent> events) {
                long t0 = System.nanoTime();
                metrics.watchEvents.inc(events.size());
                sync.events(events);
                metrics.convergence.observe((System.nanoTime() - t0) / 1e9);
                snapshots.save(sync.peers());
                update(sync);
              }
            },
            keeper));
    loops = Executors.newScheduledThreadPool(1, DaemonThreads.named("jflannel-reconcile"));
    keep(loops::shutdownNow);
    AtomicBoolean pending = new AtomicBoolean();
    keep(
        nl.monitor(
            e -> {
              if (pending.compareAndSet(false, true)) {
                loops.schedule(
                    () -> {
                      pending.set(false);
                      reconcile(sync);
                    },
                    200,
                    TimeUnit.MILLISECONDS);
              }
            }));
    long every = o.reconcileInterval().toMillis();
    loops.scheduleWithFixedDelay(() -> reconcile(sync), every, every, TimeUnit.MILLISECONDS);
    long ipEvery = o.iptablesResync().toMillis();
    loops.scheduleWithFixedDelay(
        () -> resyncIptables(ipt), ipEvery, ipEvery, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits for the config in etcd; if etcd has not answered after 3 s and a previous run left its
   * state, programs the last-known-good peers meanwhile (OfflineStart).
   */
  private NetworkConfig awaitConfig(LeaseStore store, Netlink nl, ExternalInterface ext)
      throws InterruptedException {
    CountDownLatch configured = new CountDownLatch(1);
    OfflineStart offline =
        offlineStart =
            new OfflineStart(
                o,
                nl,
                ext,
                () -> {
                  if (!ready.getAndSet(true)) {
                    becameReady();
                    sd.ready(
                        "etcd unreachable: peers programmed from the last-known-good snapshot");
                  }
                  notReady = null;
                });
    Thread t =
        new Thread(
            () -> {
              try {
                // configured (or stopped) within 3 s: nothing to do; else program from local state
                if (!configured.await(3, TimeUnit.SECONDS) && stop.getCount() > 0) {
                  offline.run();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "jflannel-offline-start");
    t.setDaemon(true);
    t.start();
    try {
      NetworkConfig c = store.awaitNetworkConfig();
      offline.saveConfig(c);
      return c;
    } catch (ConfigException e) {
      throw new StartupException(e.getMessage());
    } finally {
      configured.countDown();
      t.join();
    }
  }

  private Lease acquire(LeaseStore store, NetworkConfig config, io.jflannel.lease.LeaseAttrs attrs)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return store.acquire(config, attrs, SubnetEnv.previousSubnet(o.subnetFile()));
      } catch (LeaseStoreException e) {
        if (e.reason() != LeaseStoreException.Reason.UNAVAILABLE) {
          throw new StartupException(e.getMessage());
        }
        LOG.warn("cannot acquire a lease yet (attempt {}): {}; retrying", attempt, e.getMessage());
        if (stop.await(Math.min(5000, 500L * attempt), TimeUnit.MILLISECONDS)) {
          throw new InterruptedException("stopped while acquiring");
        }
      }
    }
  }

  private void leaseExpires(long unixSeconds) {
    metrics.leaseExpiry.set(unixSeconds);
    status.leaseExpiresUnix = unixSeconds;
  }

  private void becameReady() {
    if (admin != null) {
      admin.serving(true);
    }
  }

  /** jflanctl reconcile: kernel objects and iptables, now, as the loops do. */
  private List<Drift> reconcileNow() {
    List<Drift> fixed = new ArrayList<>(reconcile(sync));
    fixed.addAll(resyncIptables(ipt));
    return fixed;
  }

  /** Repairs the peers' kernel objects; returns what was repaired. */
  private List<Drift> reconcile(PeerSync sync) {
    if (!ready.get()) {
      return List.of();
    }
    try {
      List<Drift> fixed = sync.repair();
      status.reconciled(fixed.size());
      metrics.repairs.inc(fixed.size());
      update(sync);
      return fixed;
    } catch (RuntimeException e) {
      LOG.warn("reconcile failed: {}", e.getMessage());
      return List.of();
    }
  }

  /** Restores our iptables rules if they drifted; returns the drift it repaired. */
  private List<Drift> resyncIptables(Iptables ipt) {
    if (ipt == null) {
      return List.of();
    }
    try {
      List<Drift> drift = ipt.drift();
      if (!drift.isEmpty()) {
        LOG.warn("iptables rules missing or changed: restoring them");
        ipt.apply();
        metrics.iptablesRestores.inc();
      }
      return drift;
    } catch (RuntimeException e) {
      LOG.warn("iptables resync failed: {}", e.getMessage());
      return List.of();
    }
  }

  private void update(PeerSync sync) {
    metrics.peers.set(sync.peerCount());
    metrics.objects.set(sync.objectCount());
  }

  private void checkIpForward() {
    try {
      if (!Sysctl.ipForwarding()) {
        if (o.setIpForward()) {
          Sysctl.setIpForwarding(true);
          LOG.info("set net.ipv4.ip_forward=1");
        } else {
          LOG.warn(
              "net.ipv4.ip_forward is 0: this node will not forward container traffic (use --set-ip-forward)");
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot check net.ipv4.ip_forward: {}", e.getMessage());
    }
  }

  private OfflineStart offlineStart;

  private <T extends AutoCloseable> T keep(T c) {
    closeables.push(c);
    return c;
  }

  interface Step<T> {
    T get() throws Exception;
  }

  private static <T> T open(Step<T> s, String what) {
    try {
      return s.get();
    } catch (StartupException e) {
      throw e;
    } catch (Exception e) {
      throw new StartupException(what + ": " + e.getMessage());
    }
  }

  /**
   * Closes in reverse order of creation, but gives up after 700 ms: kernel state and the lease are
   * kept on purpose, so nothing left to close can matter more than exiting within a second.
   */
  private void closeAll() {
    Thread t =
        new Thread(
            () -> {
              while (!closeables.isEmpty()) {
                try {
                  closeables.pop().close();
                } catch (Exception e) {
                  LOG.debug("close: {}", e.getMessage());
                }
              }
            },
            "jflannel-close");
    t.setDaemon(true);
    t.start();
    try {
      t.join(700);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A startup error: one line for the operator. */
  static final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
      super(message);
    }
  }
}
