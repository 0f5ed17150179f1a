package io.jflannel.backend;

import io.jflannel.netlink.Batch;
import io.jflannel.netlink.BatchResult;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.NetlinkObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns drift into batched netlink writes and keeps the books honestly: a repair counts only when
 * the kernel accepted it, and every refusal is logged, counted and kept in {@link #problems()}
 * until a later attempt succeeds.
 */
final class KernelWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KernelWriter.class);
  private static final int MAX_PROBLEMS = 5;

  private final Netlink netlink;
  private final AtomicLong repairs = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  KernelWriter(Netlink netlink) {
    this.netlink = netlink;
  }

  /**
   * Writes what {@code drift} calls for in one batch: removals first (routes before the neighbours
   * and FDB entries they use), then additions (addresses, neighbours, FDB, routes). Counts repairs
   * when {@code repairing}; a full pass also settles {@link #problems()}.
   */
  Repair apply(List<Drift> drift, boolean repairing) {
    List<Drift> ordered = new ArrayList<>(drift);
    ordered.sort(Comparator.comparingInt(KernelWriter::rank));
    Batch b = netlink.batch();
    Map<NetlinkObject, Drift> byObject = new IdentityHashMap<>();
    for (Drift d : ordered) {
      NetlinkObject o = (NetlinkObject) d.object();
      byObject.put(o, d);
      if (d.want() != null) {
        b.replace(o);
      } else {
        b.delete(o);
      }
    }
    BatchResult r = b.execute();
    List<Drift> failed = new ArrayList<>();
    for (BatchResult.Failure f : r.failures()) {
      failed.add(byObject.get(f.object()));
    }
    record(r);
    List<Drift> repaired = new ArrayList<>(ordered);
    repaired.removeAll(failed);
    if (repairing) {
      repairs.addAndGet(repaired.size());
    }
    return new Repair(repaired, failed);
  }

  /** Puts one object right on the spot (a kernel event said it drifted). */
  PeerSync.Reaction fix(Drift d) {
    Repair r = apply(List.of(d), true);
    if (!r.repaired().isEmpty()) {
      LOG.info(
          "{} {} {}: {}",
          d.type(),
          d.object().describe(this::deviceName),
          d.kind() == Drift.Kind.EXTRA ? "appeared" : "vanished or changed",
          d.kind() == Drift.Kind.EXTRA ? "removed" : "restored");
    }
    return PeerSync.Reaction.FIXED;
  }

  private String deviceName(int index) {
    try {
      return netlink.link(index).map(io.jflannel.netlink.Link::name).orElse("#" + index);
    } catch (RuntimeException e) {
      return "#" + index;
    }
  }

  /** Runs a batch of lease-driven writes; refusals are retried by the next reconcile. */
  void run(Batch b) {
    if (b.size() > 0) {
      BatchResult r = b.execute();
      record(r);
    }
  }

  /** Clears the problems before a full repair pass reports afresh. */
  void beginRepair() {
    problems.clear();
  }

  /** Records a problem that is not a refused write (e.g. a device that cannot be re-created). */
  void problem(String p) {
    LOG.warn("{}", p);
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(p);
    }
  }

  private void record(BatchResult r) {
    if (r.ok()) {
      return;
    }
    errors.addAndGet(r.failures().size());
    BatchResult.Failure first = r.failures().get(0);
    LOG.warn(
        "kernel refused {} of {} writes: {}{}; the next reconcile retries",
        r.failures().size(),
        r.requests(),
        first.error().getMessage(),
        r.failures().size() > 1 ? " (and " + (r.failures().size() - 1) + " more)" : "");
    for (BatchResult.Failure f : r.failures()) {
      if (problems.size() >= MAX_PROBLEMS) {
        break;
      }
      problems.add(f.error().getMessage());
    }
  }

  /** Removals first (routes, FDB, neighbours, addresses), then additions (the reverse). */
  static int rank(Drift d) {
    int kind =
        switch (d.type()) {
          case "address" -> 0;
          case "neighbour" -> 1;
          case "fdb" -> 2;
          default -> 3;
        };
    return d.want() == null ? 3 - kind : 4 + kind;
  }

  long repairs() {
    return repairs.get();
  }

  long errors() {
    return errors.get();
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
