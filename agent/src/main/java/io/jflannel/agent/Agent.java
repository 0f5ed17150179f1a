package io.jflannel.agent;

import io.jflannel.agent.admin.AdminServer;
import io.jflannel.agent.admin.AdminService;
import io.jflannel.agent.admin.HealthServer;
import io.jflannel.agent.admin.IoLoop;
import io.jflannel.agent.cli.AgentOptions;
import io.jflannel.agent.firewall.FirewallCommand;
import io.jflannel.agent.firewall.Firewalls;
import io.jflannel.agent.host.CniConfig;
import io.jflannel.agent.host.InterfacePicker;
import io.jflannel.agent.host.SdNotify;
import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.agent.metrics.MetricsObserver;
import io.jflannel.agent.node.AgentState;
import io.jflannel.agent.node.Collaborators;
import io.jflannel.agent.node.Lifecycle;
import io.jflannel.agent.node.LifecycleEvent;
import io.jflannel.agent.node.NodeHolder;
import io.jflannel.agent.node.NodeLock;
import io.jflannel.agent.node.NodeSettings;
import io.jflannel.agent.node.StartupException;
import io.jflannel.agent.node.StateMetrics;
import io.jflannel.agent.node.StatusSnapshot;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.netlink.Netlink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jflanneld process (docs/architecture.md, "lifecycle"): opens the real collaborators (netlink,
 * etcd, iptables), serves health, metrics and the admin API, runs one node ({@link NodeHolder}),
 * and handles SIGTERM at any moment: no kernel write after "stopping", lease and kernel state kept,
 * exit 0 within a second. Returns the process exit code: 0 after SIGTERM, 1 on a startup error (one
 * line on stderr) or a lost lease.
 */
final class Agent {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static volatile boolean stopping;

  private final AgentOptions o;
  private final AgentMetrics metrics = new AgentMetrics();
  private final Lifecycle lc = new Lifecycle(System::currentTimeMillis);
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private boolean etcdKept; // the start took the etcd client: closeAll closes it
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicInteger exitCode = new AtomicInteger(0);
  private final SdNotify sd = SdNotify.fromEnvironment();
  private volatile NodeHolder node;
  private volatile AdminServer admin;

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
                  haltWrites();
                  stop.countDown();
                  try {
                    main.join(2000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "jflannel-shutdown"));
    StateMetrics.follow(metrics, lc);
    lc.addListener(this::readinessChanged);
    try {
      start();
      stop.await();
      return exitCode.get();
    } catch (StartupException e) {
      if (stopping) {
        return 0; // SIGTERM during start: not an error (e.g. "Shutdown in progress")
      }
      lc.stopQuietly(); // the one line below says it all
      System.err.println("jflanneld: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return exitCode.get();
    } catch (RuntimeException e) {
      if (stopping) {
        return 0;
      }
      LOG.error("unexpected failure", e);
      System.err.println("jflanneld: " + e);
      return 1;
    } finally {
      try {
        haltWrites();
        sd.stopping();
      } catch (RuntimeException e) { // the exit code is decided above; closing cannot change it
        LOG.warn("while stopping: {}", e.toString());
      }
      closeAll();
    }
  }

  /** SIGTERM: state STOPPING and the peer sync closed before anything else runs. */
  private void haltWrites() {
    boolean first = lc.current().state() != AgentState.STOPPING;
    lc.on(LifecycleEvent.STOP, null);
    FirewallCommand.stopAll(); // a tool stuck on the xtables lock must not hold the exit
    NodeHolder n = node;
    if (n != null) {
      n.close(); // waits for a kernel batch in flight: nothing is written after the line below
    }
    if (first) {
      LOG.info("stopping: lease and kernel state are kept for the next start");
    }
  }

  private void start() throws InterruptedException {
    // one agent per node, decided before anything is opened: a second one exits touching nothing
    keep(NodeLock.take(o.node().stateDir(), "this one"));
    // etcd's client does not need the interface: it is built on a second thread while this one
    // opens netlink and picks the interface (each takes ~0.1 s at start)
    CompletableFuture<EtcdLeaseRegistry> etcd = new CompletableFuture<>();
    Thread side =
        new Thread(
            () -> {
              try {
                etcd.complete(StartupException.open(this::connectEtcd, "etcd options"));
              } catch (Throwable e) { // whatever it is, the main thread waiting on it hears it
                etcd.completeExceptionally(e);
              }
            },
            "jflannel-start");
    side.setDaemon(true);
    side.start();
    try {
      start(etcd);
    } finally {
      if (!etcdKept) {
        etcd.thenAccept(EtcdLeaseRegistry::close); // the start failed before it took the client
      }
    }
  }

  private EtcdLeaseRegistry connectEtcd() {
    return EtcdLeaseRegistry.connect(o.etcd());
  }

  /** The start proper, with the etcd client being built. */
  private void start(CompletableFuture<EtcdLeaseRegistry> etcd) throws InterruptedException {
    Netlink nl = keep(StartupException.open(Netlink::open, "cannot open a netlink socket"));
    ExternalInterface ext =
        StartupException.open(
            () ->
                InterfacePicker.pick(
                    nl,
                    o.iface().ifaces(),
                    o.iface().ifaceRegex(),
                    o.iface().ifaceCanReach(),
                    o.iface().publicIp(),
                    o.iface().publicIpv6()),
            "interface");
    LOG.info(
        "using interface {} ({}{}), public IP {}{}",
        ext.link().name(),
        ext.address() == null ? "no IPv4 address" : ext.address(),
        ext.address6() == null ? "" : ", " + ext.address6(),
        ext.publicIp(),
        ext.publicIpv6() == null ? "" : ", " + ext.publicIpv6());
    EtcdLeaseRegistry registry;
    try {
      registry = keep(etcd.get());
      etcdKept = true;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    registry.setObserver(new MetricsObserver(metrics));
    Collaborators c =
        new Collaborators(nl, registry, new Firewalls(), System::currentTimeMillis, ext);
    NodeHolder n =
        new NodeHolder(
            new NodeSettings(o.node(), o.iface(), o.firewall(), CniConfig.of(o.cni())),
            c,
            lc,
            metrics,
            stop,
            this::fatal);
    node = n;
    IoLoop io = keep(new IoLoop());
    // the runtime's own metrics cost 40-50 ms of class loading and MXBean lookups: off the start
    // path, a second later, on the otherwise idle listener loop
    io.group().schedule(metrics::registerRuntime, 1, java.util.concurrent.TimeUnit.SECONDS);
    if (o.listeners().adminSocket() != null) {
      admin =
          keep(
              StartupException.open(
                  () ->
                      new AdminServer(
                          o.listeners().adminSocket(),
                          new AdminService(n, nl, String.join(",", o.etcd().endpoints())),
                          io.group()),
                  "admin socket " + o.listeners().adminSocket()));
    }
    if (o.listeners().healthzPort() != 0) {
      keep(
          StartupException.open(
              () ->
                  new HealthServer(
                      o.listeners().healthzIp(),
                      o.listeners().healthzPort(),
                      lc::current,
                      n::stalled,
                      metrics.registry,
                      io.group()),
              "cannot listen on " + o.listeners().healthzIp() + ":" + o.listeners().healthzPort()));
    }
    if (stopping) {
      throw new InterruptedException("stopped during start");
    }
    n.start();
  }

  /** sd_notify READY=1 and the admin health service follow readiness. */
  private void readinessChanged(StatusSnapshot before, StatusSnapshot after) {
    boolean was = before.notReadyReason() == null;
    boolean is = after.notReadyReason() == null;
    if (is && !before.state().programmed() && after.state().programmed()) {
      sd.ready(
          after.state() == AgentState.OFFLINE
              ? "etcd unreachable: peers programmed from the last-known-good snapshot"
              : "subnet "
                  + after.node().subnet()
                  + ", "
                  + after.sync().peers()
                  + " peers programmed");
    }
    AdminServer a = admin;
    if (a != null && was != is) {
      a.serving(is);
    }
  }

  private void fatal(String why) {
    LOG.error("{}", why);
    exitCode.set(1);
    stop.countDown();
  }

  private <T extends AutoCloseable> T keep(T c) {
    closeables.push(c);
    return c;
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
}
