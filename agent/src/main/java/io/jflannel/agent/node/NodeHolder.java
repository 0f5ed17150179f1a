package io.jflannel.agent.node;

import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.backend.Drift;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.Rejection;
import io.jflannel.lease.Backoff;
import io.jflannel.lease.Lease;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's node, which it replaces by a new one when the interface's address changes (same
 * process, same subnet, same lifecycle): the lease is rewritten to the new address first, then the
 * old node stops writing and a node on the new interface starts and takes over its kernel state.
 * The admin API and health read whichever node is current through this view.
 */
public final class NodeHolder implements NodeView, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHolder.class);

  private final NodeSettings o;
  private final Lifecycle lc;
  private final AgentMetrics metrics;
  private final CountDownLatch stop;
  private final Consumer<String> fatal;
  private final Object lock = new Object();
  private volatile Collaborators c;
  private volatile Node node;
  private boolean closed; // under lock

  public NodeHolder(
      NodeSettings o,
      Collaborators c,
      Lifecycle lc,
      AgentMetrics metrics,
      CountDownLatch stop,
      Consumer<String> fatal) {
    this.o = o;
    this.c = c;
    this.lc = lc;
    this.metrics = metrics;
    this.stop = stop;
    this.fatal = fatal;
    this.node = create(c);
  }

  private Node create(Collaborators with) {
    return new Node(o, with, lc, metrics, stop, new NodeHooks(fatal, this::moved));
  }

  /** Starts the first node (see {@link Node#start}). */
  public void start() throws InterruptedException {
    node.start();
  }

  /** The node's loops tell of a new address: the move runs on a thread of its own. */
  private void moved(ExternalInterface next) {
    Thread t = new Thread(() -> move(next), "jflannel-move");
    t.setDaemon(true);
    t.start();
  }

  private void move(ExternalInterface next) {
    Node old = node;
    ExternalInterface was = c.ext();
    String what = describe(was) + " -> " + describe(next);
    LOG.info(
        "interface {} moved ({}): moving this node, keeping its subnet", next.link().name(), what);
    try {
      c.registry().reconnect(); // the old connection may be bound to the address that is gone
      // the fresh connection may take a moment: retried at 50 ms doubling to 1 s, jittered
      Backoff retries = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
      while (!old.advertise(next)) { // etcd first: the new node must find the lease as its own
        if (stop.await(retries.next().toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
      Node fresh;
      synchronized (lock) {
        if (closed) {
          return;
        }
        old.pause();
        c = c.withExt(next);
        fresh = create(c);
        node = fresh;
      }
      String at = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
      lc.update(s -> s.with(s.node().withMoved(what + " at " + at)));
      metrics.addressMoves.inc();
      fresh.start();
      LOG.info("moved to {}: lease, device and peers follow the new address", describe(next));
    } catch (StartupException e) {
      fatal.accept("moving to " + describe(next) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping meanwhile
    }
  }

  private static String describe(ExternalInterface e) {
    return e.publicIp() + (e.publicIpv6() == null ? "" : ", " + e.publicIpv6());
  }

  /** Null while the current node's loops run; else how long they have not. */
  public String stalled() {
    return node.stalled();
  }

  @Override
  public StatusSnapshot status() {
    return node.status();
  }

  @Override
  public List<Lease> peers() {
    return node.peers();
  }

  @Override
  public List<Rejection> rejected() {
    return node.rejected();
  }

  @Override
  public List<Drift> diff() {
    return node.diff();
  }

  @Override
  public Reconciled reconcile() {
    return node.reconcile();
  }

  /** SIGTERM: the current node stops writing (and a move in flight stops where it is). */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    node.close();
  }
}
