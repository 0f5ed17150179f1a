package io.jflannel.backend;

import io.jflannel.netlink.Batch;
import io.jflannel.netlink.KernelObject;
import io.jflannel.netlink.NetlinkObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A whole peer set written while it is being admitted (a first snapshot of thousands of leases):
 * each wanted object is compared with the kernel's as it comes and, when absent or different, added
 * to the batch, which is sent ahead every {@value #FLUSH_EVERY} writes, so that the kernel installs
 * one part while the next is validated. The same outcome as {@link KernelDiff} over the whole set,
 * in about the kernel's time alone.
 */
final class StreamingPlan {
  static final int FLUSH_EVERY = 1024;

  private final Map<Object, KernelObject> found;
  private final Batch batch;
  private int pending;

  /** A plan against {@code have} (the kernel's objects), writing into {@code batch}. */
  StreamingPlan(List<? extends KernelObject> have, Batch batch) {
    this.found = new HashMap<>(have.size() * 2);
    for (KernelObject h : have) {
      found.put(h.key(), h);
    }
    this.batch = batch;
  }

  /** {@code w} must be in the kernel as it is: written unless it already is. */
  void want(NetlinkObject w) {
    KernelObject h = found.get(w.key());
    if (h == null || !h.equals(w)) {
      batch.replace(w);
      if (++pending >= FLUSH_EVERY) {
        batch.flush();
        pending = 0;
      }
    }
  }

  /**
   * Deletes the objects found that {@code ours} claims and whose key {@code wanted} does not know:
   * routes first, then FDB entries, neighbours and addresses (a route goes before what it uses).
   */
  void removeUnwanted(Predicate<Object> wanted, Predicate<? super KernelObject> ours) {
    List<KernelObject> extra = new ArrayList<>();
    for (KernelObject h : found.values()) {
      if (!wanted.test(h.key()) && ours.test(h)) {
        extra.add(h);
      }
    }
    extra.sort(Comparator.comparingInt(h -> KernelWriter.rank(Drift.extra(h))));
    for (KernelObject h : extra) {
      batch.delete((NetlinkObject) h);
    }
  }

  /** The batch holding what is not sent ahead yet. */
  Batch batch() {
    return batch;
  }
}
