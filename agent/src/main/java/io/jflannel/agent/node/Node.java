package io.jflannel.agent.node;

import io.jflannel.agent.firewall.Firewall;
import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.agent.metrics.BackendMetrics;
import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.LeaseRules;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.ConfigChange;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseStore;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.LeaseStoreOptions;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's start path (docs/architecture.md, "lifecycle"), shared by the normal start and the
 * start while etcd is unreachable: config, backend, lease, firewall, subnet.env, peer sync, then
 * the watch and the {@link NodeLoops}. Collaborators come in through {@link Collaborators}, so
 * every step runs in unit tests without root.
 */
public final class Node implements NodeView, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  static final Duration OFFLINE_AFTER = Duration.ofSeconds(3);

  private final NodeSettings o;
  private final Collaborators c;
  private final Lifecycle lc;
  private final AgentMetrics metrics;
  private final CountDownLatch stop;
  private final NodeHooks hooks;
  private final LocalState local;
  private final LeaseStore store;
  private final NodeFirewall firewall;
  private final Object steps = new Object();
  private volatile boolean closed;
  private boolean released; // under steps
  private volatile Running running;
  private volatile NodeLoops loops;
  private List<io.prometheus.metrics.model.registry.Collector> backendMetrics = List.of();

  public Node(
      NodeSettings o,
      Collaborators c,
      Lifecycle lc,
      AgentMetrics metrics,
      CountDownLatch stop,
      NodeHooks hooks) {
    this.o = o;
    this.c = c;
    this.lc = lc;
    this.metrics = metrics;
    this.stop = stop;
    this.hooks = hooks;
    this.local = new LocalState(o.node().stateDir(), o.node().subnetFile());
    this.firewall = new NodeFirewall(o.firewall(), c.firewalls(), lc, metrics);
    this.store =
        LeaseStore.create(
            c.registry(),
            LeaseStoreOptions.defaults().withTtl(o.node().leaseTtl(), o.node().renewMargin()),
            LeaseRules.byBackendType());
  }

  /**
   * Runs the start path; returns once the watch and loops run (READY follows with the first peer
   * snapshot).
   *
   * @throws StartupException with one line for the operator
   * @throws InterruptedException when stopped meanwhile
   */
  public void start() throws InterruptedException {
    lc.update(s -> s.with(info(null, null, 0)));
    lc.on(LifecycleEvent.CONFIG_AWAITED, "waiting for the network config in etcd");
    NetworkConfig fromEtcd = keepBackend(awaitConfig());
    NetworkConfig config = fromEtcd;
    lc.on(LifecycleEvent.CONFIG_READ, "acquiring a lease");
    Running offline = running;
    Prepared p = step(() -> prepare(fromEtcd, offline));
    Lease own;
    try {
      own = acquire(config, p.attrs(), o.node().allowNetworkChange());
    } catch (LeaseStoreException e) { // WOULD_MOVE: keep the node where it is
      NetworkConfig kept = keepPreviousConfig(e);
      if (!kept.backend().equals(config.backend())) {
        p.close(offline);
        p = step(() -> prepare(kept, offline));
      }
      config = kept;
      try {
        own = acquire(config, p.attrs(), false);
      } catch (LeaseStoreException again) {
        throw new StartupException(
            again.getMessage() + "; pass --allow-network-change to move this node");
      }
    }
    lc.on(LifecycleEvent.LEASE_HELD, "programming the first peer snapshot");
    Running r;
    if (offline != null && offline.serves(config, own.key())) {
      r = offline;
      LOG.info("etcd answers: carrying on with the node programmed offline");
    } else {
      if (offline != null) {
        offline.close();
      }
      NetworkConfig cfg = config;
      Prepared prepared = p;
      SubnetKey subnet = own.key();
      r = step(() -> bringUp(cfg, prepared.backend(), prepared.attrs(), subnet));
    }
    running = r;
    local.saveConfig(config);
    NodeLoops l = new NodeLoops(o, c, lc, metrics, local, store, r, own, hooks);
    step(
        () -> {
          loops = l;
          l.start();
          return l;
        });
  }

  /**
   * Runs one start step that writes to the node (devices, addresses, firewall, files) unless the
   * node is stopping; {@link #close()} waits for a step in flight, so nothing is written after it.
   */
  private <T> T step(java.util.function.Supplier<T> s) throws InterruptedException {
    synchronized (steps) {
      if (closed) {
        throw new InterruptedException("stopping");
      }
      return s.get();
    }
  }

  /** A backend made ready for a config (devices, attributes), before the lease. */
  private record Prepared(Backend backend, LeaseAttrs attrs) {
    void close(Running offline) {
      if (offline == null || offline.backend() != backend) {
        backend.close();
      }
    }
  }

  private Prepared prepare(NetworkConfig config, Running offline) {
    if (offline != null && offline.serves(config, offline.subnets())) {
      return new Prepared(offline.backend(), offline.attrs());
    }
    Backend b = newBackend(config);
    try {
      return new Prepared(
          b, StartupException.open(b::prepare, config.backend().type() + " backend"));
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  private Backend newBackend(NetworkConfig config) {
    if (config.ipv4()) {
      try {
        c.ext().requireIpv4();
      } catch (IllegalStateException e) {
        throw new StartupException(e.getMessage());
      }
    }
    BackendFactory f =
        BackendFactory.find(config.backend().type())
            .orElseThrow(
                () ->
                    new StartupException(
                        "backend " + config.backend().type() + " is not on the class path"));
    return StartupException.open(
        () -> f.create(new BackendContext(c.netlink(), c.ext(), config, o.node().stateDir())),
        "backend");
  }

  /**
   * Reads the config from etcd, retrying; if etcd has not answered after {@link #OFFLINE_AFTER} and
   * a previous run left its state, programs the node from that state meanwhile (OFFLINE).
   */
  private NetworkConfig awaitConfig() throws InterruptedException {
    long t0 = c.clockMs().getAsLong();
    boolean offlineTried = false;
    EtcdReconnect reconnect = new EtcdReconnect(c.registry());
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<String> raw = c.registry().probe(Duration.ofSeconds(2));
        reconnect.answered();
        etcd(true, "");
        if (raw.isPresent()) {
          NetworkConfig config = NetworkConfigs.parse(raw.get());
          config.warnings().forEach(w -> LOG.warn("network config: {}", w));
          lc.condition("config", null);
          return config;
        }
        String key = c.registry().prefix() + "/config";
        String missing =
            "the network config " + key + " is not in etcd (write it with jflanctl config set)";
        lc.on(LifecycleEvent.CONFIG_AWAITED, missing);
        if (running != null) { // programmed offline: it keeps forwarding while it waits
          lc.condition("config", missing + "; forwarding on the last-known-good state meanwhile");
        }
        if (attempt == 1 || attempt % 30 == 0) {
          LOG.warn(
              "network config {} not found (attempt {}); write it with `jflanctl config set` or"
                  + " etcdctl put; retrying every second",
              key,
              attempt);
        }
      } catch (ConfigException e) {
        return lastValid(e);
      } catch (LeaseStoreException e) {
        if (e.reason() != LeaseStoreException.Reason.UNAVAILABLE) {
          throw new StartupException(e.getMessage());
        }
        etcd(false, e.getMessage());
        reconnect.failed(c.clockMs().getAsLong());
        lc.on(LifecycleEvent.CONFIG_AWAITED, "etcd unreachable: " + e.getMessage());
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warn(
              "cannot read network config {}/config (attempt {}): {}; retrying",
              c.registry().prefix(),
              attempt,
              e.getMessage());
        }
        if (!offlineTried && c.clockMs().getAsLong() - t0 >= OFFLINE_AFTER.toMillis()) {
          offlineTried = true;
          step(
              () -> {
                startOffline();
                return null;
              });
        }
      }
      if (stop.await(1, TimeUnit.SECONDS)) {
        throw new InterruptedException("stopped while waiting for the network config");
      }
    }
  }

  /**
   * The config of the previous run when the one in etcd is invalid: a restart runs on it, DEGRADED,
   * as a running node does (no crash loop under systemd); with none saved, one line and exit.
   */
  private NetworkConfig lastValid(ConfigException e) {
    NetworkConfig last = local.config().orElseThrow(() -> new StartupException(e.getMessage()));
    metrics.configRefused.inc();
    lc.condition(
        "config",
        "the network config in etcd is invalid ("
            + e.getMessage()
            + "): running on the last valid one ("
            + last.networks()
            + ", backend "
            + last.backend().type()
            + ")");
    return last;
  }

  /**
   * A Backend change (type, VNI, port or any other option) is refused at start like a Network
   * change: a node that switched alone would stop talking to the others. The node keeps the config
   * it ran with until started with --allow-network-change.
   */
  private NetworkConfig keepBackend(NetworkConfig fromEtcd) {
    Optional<NetworkConfig> previous = local.config();
    if (o.node().allowNetworkChange()
        || previous.isEmpty()
        || previous.get().backend().equals(fromEtcd.backend())) {
      return fromEtcd;
    }
    metrics.configRefused.inc();
    lc.condition(
        "config",
        "the network config in etcd changes the backend ("
            + ConfigChange.between(previous.get(), fromEtcd).describe()
            + "): not applied; this node keeps "
            + previous.get().backend().type()
            + " and the previous config, also across restarts; restart every node with"
            + " --allow-network-change to switch (a node that switches alone cannot reach the"
            + " others)");
    return previous.get();
  }

  private void etcd(boolean healthy, String error) {
    long now = c.clockMs().getAsLong();
    lc.update(
        s ->
            s.with(
                new StatusSnapshot.EtcdInfo(
                    healthy, s.etcd().healthy() == healthy ? s.etcd().sinceMs() : now, error)));
  }

  /** Programs the node from local state while etcd is unreachable (same steps as online). */
  private void startOffline() {
    Optional<NetworkConfig> config = local.config();
    Optional<SubnetKey> subnet = local.subnet();
    if (config.isEmpty() || subnet.isEmpty()) {
      LOG.warn("etcd not reachable yet and no local state from a previous run: waiting for etcd");
      return;
    }
    List<Lease> peers = local.peers();
    Backend b = null;
    try {
      b = newBackend(config.get());
      LeaseAttrs attrs = b.prepare();
      Running r = bringUp(config.get(), b, attrs, subnet.get());
      r.sync().snapshot(peers);
      running = r;
      lc.on(
          LifecycleEvent.PROGRAMMED_OFFLINE,
          "etcd unreachable: programmed from the last-known-good snapshot");
      NodeLoops.publishSync(lc, r.sync(), 0);
      LOG.warn(
          "etcd unreachable: programmed {} peers ({} kernel objects) from the last-known-good"
              + " snapshot",
          r.sync().peerCount(),
          r.sync().objectCount());
    } catch (RuntimeException e) {
      if (b != null && running == null) {
        b.close();
      }
      LOG.warn("could not program peers from local state: {}", e.getMessage());
    }
  }

  /** The config this node keeps when etcd's would move it (WOULD_MOVE), or a startup error. */
  private NetworkConfig keepPreviousConfig(LeaseStoreException e) {
    NetworkConfig previous =
        local
            .config()
            .orElseThrow(
                () ->
                    new StartupException(
                        e.getMessage()
                            + "; no previous config is saved to keep running on: pass"
                            + " --allow-network-change to move this node"));
    lc.condition(
        "config",
        "the network config in etcd would move this node ("
            + e.getMessage()
            + "): running on the previous config ("
            + previous.networks()
            + "); restart with --allow-network-change to move it (its pods lose connectivity)");
    return previous;
  }

  /**
   * Takes the node's lease, retrying while etcd is unreachable.
   *
   * @throws LeaseStoreException WOULD_MOVE (the only failure it passes on)
   */
  private Lease acquire(NetworkConfig config, LeaseAttrs attrs, boolean mayMove)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return store.acquire(config, attrs, local.subnet().orElse(null), mayMove);
      } catch (LeaseStoreException e) {
        if (e.reason() == LeaseStoreException.Reason.WOULD_MOVE) {
          throw e;
        }
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

  /** Backend started on our subnet, firewall, subnet.env, peer sync: the node, before its peers. */
  private Running bringUp(NetworkConfig config, Backend b, LeaseAttrs attrs, SubnetKey subnets) {
    Ipv4Net subnet = config.ipv4() ? subnets.ipv4() : null;
    Ipv6Net subnet6 = config.dualStack() ? subnets.ipv6() : null;
    if ((config.dualStack() && subnet6 == null) || (config.ipv4() && subnet == null)) {
      throw new StartupException(
          "this node's lease "
              + subnets
              + " lacks a subnet of a family the network enables ("
              + config.networks()
              + ")");
    }
    Forwarding.check(config, o.node().setIpForward());
    b.start(new Lease(subnet, attrs, 0, null, 0, subnet6));
    Firewall fw = firewall.build(config, subnet, subnet6);
    firewall.apply(fw, config, closed);
    SubnetEnv env =
        new SubnetEnv(
            config.network(),
            subnet,
            b.mtu(),
            o.firewall().ipMasq(),
            subnet6 == null ? null : config.ipv6().network(),
            subnet6);
    StartupException.open(
        () -> {
          env.writeTo(o.node().subnetFile());
          return null;
        },
        "cannot write " + o.node().subnetFile());
    LOG.info("wrote {}: subnet {} mtu {}", o.node().subnetFile(), subnets, b.mtu());
    o.cni().write(env);
    PeerSync sync =
        new PeerSync(
            c.netlink(),
            b,
            new LeaseValidator(config, subnets, c.ext().publicIp(), c.ext().publicIpv6()),
            LeaseRules.of(config),
            config,
            new SubnetKey(subnet, subnet6));
    sync.onRejected(r -> metrics.rejectedLeases.inc());
    sync.onBackendError(
        (l, e) -> {
          metrics.backendErrors.inc();
          LOG.error(
              "backend {} failed on lease {} (a bug, not bad lease data; nothing is programmed for"
                  + " it)",
              config.backend().type(),
              l.key().toKey(),
              e);
        });
    backendMetrics.forEach(metrics.registry::unregister); // a backend of the offline start
    backendMetrics = BackendMetrics.register(metrics.registry, b.metrics());
    lc.update(s -> s.with(info(config, subnets, b.mtu())));
    if (config.ipv4()) {
      metrics.subnets.labelValues("ipv4").set(config.subnetCount());
    }
    if (config.dualStack()) {
      metrics.subnets.labelValues("ipv6").set(config.ipv6().subnetCount().doubleValue());
    }
    return new Running(config, b, attrs, subnets, sync, fw, env);
  }

  private StatusSnapshot.NodeInfo info(NetworkConfig config, SubnetKey subnets, int mtu) {
    return new StatusSnapshot.NodeInfo(
        c.ext().link().name(),
        config != null && !config.ipv4()
            ? String.valueOf(c.ext().publicIpv6())
            : c.ext().publicIp().toString(),
        config == null ? "" : config.networks(),
        config == null ? "" : config.backend().type(),
        mtu,
        subnets == null ? "" : subnets.toString(),
        lc.current().node().moved());
  }

  @Override
  public StatusSnapshot status() {
    return lc.current();
  }

  @Override
  public List<Lease> peers() {
    Running r = running;
    return r == null ? List.of() : r.sync().peers();
  }

  @Override
  public List<io.jflannel.backend.Rejection> rejected() {
    Running r = running;
    return r == null ? List.of() : r.sync().rejected();
  }

  @Override
  public List<io.jflannel.backend.Drift> diff() {
    Running r = running;
    if (r == null) {
      throw new IllegalStateException("not programmed yet");
    }
    List<io.jflannel.backend.Drift> drift = new java.util.ArrayList<>(r.sync().diff());
    drift.addAll(r.firewall().drift());
    return drift;
  }

  @Override
  public Reconciled reconcile() {
    NodeLoops l = loops;
    if (l == null) {
      throw new IllegalStateException("not running yet");
    }
    io.jflannel.backend.Repair kernel = l.reconcile();
    List<io.jflannel.backend.Drift> repaired = new java.util.ArrayList<>(kernel.repaired());
    repaired.addAll(l.resyncFirewall());
    return new Reconciled(repaired, kernel.failed(), running.sync().problems());
  }

  /** The node as brought up, or null before. */
  Running running() {
    return running;
  }

  /** Null while the node's loops run (or before they start); else how long they have not. */
  public String stalled() {
    NodeLoops l = loops;
    return l == null ? null : l.stalled();
  }

  /** The loops, or null before the node runs online. */
  NodeLoops loops() {
    return loops;
  }

  /**
   * SIGTERM: no kernel write from here on; lease and kernel state are kept. Called by the shutdown
   * hook and the main thread at once: the first closes, the second waits until it has.
   */
  @Override
  public void close() {
    lc.on(LifecycleEvent.STOP, null);
    pause();
  }

  /**
   * Stops this node's loops and closes its backend, keeping the kernel state, the lease and the
   * lifecycle as they are: the agent moves to a new node on another interface address.
   */
  public void pause() {
    closed = true;
    synchronized (steps) { // a start step in flight has finished; no other one starts
      if (released) {
        return;
      }
      released = true;
      Running r = running;
      if (r != null) {
        r.sync().close();
      }
      NodeLoops l = loops;
      if (l != null) {
        l.close();
      }
      if (r != null) {
        r.backend().close();
      }
      backendMetrics.forEach(metrics.registry::unregister);
    }
  }

  /**
   * Rewrites this node's lease in etcd to advertise {@code next}'s addresses (same subnet, same
   * etcd lease), so that the node started on {@code next} finds it as its own.
   *
   * @return false when etcd does not answer now (try again), true when done or nothing to do
   * @throws StartupException when the lease is gone or another node's meanwhile
   */
  public boolean advertise(ExternalInterface next) {
    Running r = running;
    if (r == null) {
      return true; // nothing held yet: the next start takes the new address from the beginning
    }
    try {
      Optional<Lease> held = c.registry().getLease(r.subnets());
      if (held.isEmpty() || !held.get().attrs().sameNode(r.attrs())) {
        throw new StartupException(
            "moving to "
                + next.publicIp()
                + ": this node's lease "
                + r.subnets()
                + " is gone or another node's");
      }
      LeaseAttrs moved =
          held.get()
              .attrs()
              .withAddresses(
                  r.config().ipv4() ? next.publicIp() : null,
                  r.config().dualStack() ? next.publicIpv6() : null);
      if (c.registry().updateLease(held.get(), moved, o.node().leaseTtl()).isEmpty()) {
        return false; // it changed meanwhile (a renewal): read it again
      }
      LOG.info("lease {} now advertises {}", r.subnets(), moved.nodeAddress());
      return true;
    } catch (LeaseStoreException e) {
      if (e.reason() == LeaseStoreException.Reason.UNAVAILABLE) {
        return false;
      }
      throw new StartupException(e.getMessage());
    }
  }
}
