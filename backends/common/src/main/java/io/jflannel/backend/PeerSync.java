package io.jflannel.backend;

import io.jflannel.lease.Ipv6Config;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseCheck;
import io.jflannel.lease.LeaseConflicts;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetKey;
import io.jflannel.netlink.Batch;
import io.jflannel.netlink.KernelObject;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.NetlinkEvent;
import io.jflannel.netlink.NetlinkObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel in step with the peer leases for any backend (docs/architecture.md, "event
 * path"). Every lease passes the cluster-wide rules, the conflict rule and this node's checks
 * ({@link Admission}) and the backend before it reaches the kernel; a rejected one is logged once,
 * counted and programs nothing. Lease events become one batch of netlink writes per call; the
 * wanted objects are kept in a {@link DesiredState} index, so a kernel event is answered by looking
 * up its key (an echo of our own write is ignored, a deleted or altered object of ours is put back
 * alone) and only device changes and lost events need the full dump-and-diff of {@link #repair()}.
 * Thread-safe; calls are serialized. After {@link #close()} nothing is written.
 */
public final class PeerSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

  /** What a kernel event called for. */
  public enum Reaction {
    /** Nothing: an echo of our write, or not ours. */
    NONE,
    /** One object was put back or removed on the spot. */
    FIXED,
    /** A device changed or events were lost: run {@link #repair()}. */
    RESYNC
  }

  private final Netlink netlink;
  private final Backend backend;
  private final Ownership ownership;
  private final SubnetKey own;
  private final Admission admission;
  private final DesiredState desired = new DesiredState();
  private final KernelWriter writer;
  private volatile boolean closed;

  /**
   * A sync for {@code backend} in the network of {@code config}, whose enabled families name the
   * address spaces the agent owns; {@code own} (this node's subnets of those families) is never
   * treated as a peer. Leases are peers by their key ({@link SubnetKey}); every one passes {@code
   * rules} (cluster-wide, with conflicts decided among those that pass) and then {@code
   * validator}'s checks of this node.
   */
  public PeerSync(
      Netlink netlink,
      Backend backend,
      LeaseValidator validator,
      LeaseCheck rules,
      NetworkConfig config,
      SubnetKey own) {
    this.netlink = netlink;
    this.backend = backend;
    this.own = own;
    this.admission = new Admission(backend, validator, rules, config, own);
    List<Ownership.Space> spaces = new ArrayList<>(2);
    if (config.ipv4()) {
      spaces.add(new Ownership.Space(config.network(), config.subnetLen(), own.ipv4()));
    }
    if (config.dualStack()) {
      Ipv6Config c6 = config.ipv6();
      spaces.add(new Ownership.Space(c6.network(), c6.subnetLen(), own.ipv6()));
    }
    this.ownership = new Ownership(spaces, backend::deviceIndex, backend::ipv6DeviceIndex);
    this.writer = new KernelWriter(netlink);
  }

  /** As above with the validator's cluster-wide checks only (no backend data checks). */
  public PeerSync(
      Netlink netlink,
      Backend backend,
      LeaseValidator validator,
      NetworkConfig config,
      SubnetKey own) {
    this(netlink, backend, validator, LeaseCheck.NONE, config, own);
  }

  /** Called once for every lease newly rejected (or rejected for a new reason). */
  public synchronized void onRejected(Consumer<Rejection> listener) {
    admission.onRejected = listener;
  }

  /**
   * Called when the backend throws anything but {@link BadLeaseException} for a lease: a bug. The
   * default logs it with its stack trace; the lease programs nothing and is not shown as rejected.
   * Tests install a handler that fails them.
   */
  public synchronized void onBackendError(BiConsumer<Lease, RuntimeException> handler) {
    admission.onBackendError = handler;
  }

  /**
   * This node's own lease as etcd holds it (its create revision decides conflicts with younger
   * leases); leases whose verdict that changes are programmed or removed at once.
   */
  public synchronized void own(Lease lease) {
    if (closed) {
      return;
    }
    Batch b = netlink.batch();
    boolean changed = false;
    for (SubnetKey k : admission.own(lease)) {
      changed |= readmit(b, k, false);
    }
    writer.run(b);
    if (changed) {
      backend.peersChanged(List.copyOf(admission.peers.values()));
    }
  }

  /**
   * Why this node's own lease loses to an older lease claiming the same subnet, address or VtepMAC
   * (no other node programs it), or null.
   */
  public synchronized LeaseConflicts.Conflict ownConflict() {
    return admission.ownConflict();
  }

  /**
   * Replaces the whole peer set (a snapshot) and makes the kernel match it in one pass: each
   * lease's objects are written as it is admitted ({@link StreamingPlan}), then what nobody wants
   * any more is removed.
   */
  public synchronized void snapshot(Collection<Lease> leases) {
    if (closed) {
      return;
    }
    admission.reset();
    for (Lease l : leases) {
      if (!l.key().equals(own)) {
        admission.put(l);
      }
    }
    Set<SubnetKey> before = new HashSet<>(admission.rejected.keySet());
    admission.peers.clear();
    admission.failed.clear();
    desired.clearPeers();
    StreamingPlan plan = new StreamingPlan(kernelObjects(), netlink.batch());
    for (NetlinkObject b : backend.deviceAddresses()) {
      plan.want(b);
    }
    for (NetlinkObject b : backend.baseRoutes()) {
      plan.want(b);
    }
    for (Lease l : leases) {
      before.remove(l.key());
      PeerObjects o = admission.admit(l.key());
      if (o != null) {
        desired.put(l.key(), o);
        for (NetlinkObject w : o.all()) {
          plan.want(w);
        }
      }
    }
    before.forEach(admission.rejected::remove); // rejected leases gone from the new snapshot
    plan.removeUnwanted(k -> desired.wanted(k) != null || baseObject(k) != null, ownership::ours);
    writer.run(plan.batch());
    backend.peersChanged(List.copyOf(admission.peers.values()));
  }

  /** Applies lease events with one batch. */
  public synchronized void events(List<LeaseEvent> events) {
    if (closed) {
      return;
    }
    Batch b = netlink.batch();
    boolean changed = false;
    for (LeaseEvent e : events) {
      SubnetKey s = e.lease().key();
      if (s.equals(own)) {
        continue;
      }
      boolean removed = e.type() == LeaseEvent.Type.REMOVED;
      Set<SubnetKey> flipped = removed ? admission.remove(s) : admission.put(e.lease());
      changed |= readmit(b, s, removed);
      for (SubnetKey k : flipped) {
        changed |= readmit(b, k, false);
      }
    }
    writer.run(b);
    if (changed) {
      backend.peersChanged(List.copyOf(admission.peers.values()));
    }
  }

  /**
   * Decides the lease of {@code s} again and writes what takes its objects from the old verdict to
   * the new one; returns whether the peer set changed.
   */
  private boolean readmit(Batch b, SubnetKey s, boolean removed) {
    PeerObjects old = desired.remove(s);
    boolean known = admission.forget(s);
    PeerObjects now = admission.admit(s); // null for a removed lease: it is no longer known
    if (now != null) {
      desired.put(s, now);
    }
    change(b, old, now);
    if (now != null && !now.equals(old)) {
      LOG.info("peer {} at {}", s, admission.peers.get(s).attrs().nodeAddress());
    } else if (now == null && known) {
      LOG.info(removed ? "peer {} left" : "peer {} is no longer programmed", s);
    }
    return known || now != null;
  }

  /**
   * The writes that take one peer from {@code old} to {@code now} objects (after {@link #desired}
   * was updated): an old object no one wants any more is deleted (in reverse order); a slot another
   * peer still wants gets that peer's value back; a new or changed object is written as its slot
   * wants it. Unchanged objects cost nothing.
   */
  private void change(Batch b, PeerObjects old, PeerObjects now) {
    List<NetlinkObject> before = old == null ? List.of() : old.all();
    List<NetlinkObject> after = now == null ? List.of() : now.all();
    for (int i = before.size() - 1; i >= 0; i--) {
      NetlinkObject o = before.get(i);
      NetlinkObject w = desired.wanted(o.key());
      if (w == null) {
        b.delete(o);
      } else if (!w.equals(o) && !after.contains(w)) {
        b.replace(w); // another peer needs the slot, differently
      }
    }
    for (NetlinkObject o : after) {
      if (!before.contains(o)) {
        b.replace(desired.wanted(o.key()));
      }
    }
  }

  /** What {@link #repair()} would repair now, without repairing it. */
  public synchronized List<Drift> diff() {
    List<Drift> d = new ArrayList<>(deviceDrift());
    d.addAll(plan());
    return d;
  }

  /**
   * Level-triggered repair: devices first (re-created or corrected), then every object against the
   * kernel. Returns what was repaired and what could not be.
   */
  public synchronized Repair repair() {
    if (closed) {
      return Repair.NONE;
    }
    List<Drift> repaired = new ArrayList<>();
    List<Drift> failed = new ArrayList<>();
    writer.beginRepair();
    for (Drift d : deviceDrift()) {
      try {
        backend.repairDevice(d);
        repaired.add(d);
        LOG.warn("device {} was {}: repaired", d.object().key(), d.kind().name().toLowerCase());
      } catch (RuntimeException e) {
        failed.add(d);
        writer.problem(
            "device "
                + d.object().key()
                + " "
                + d.kind().name().toLowerCase()
                + ": "
                + e.getMessage());
      }
    }
    if (!repaired.isEmpty()) {
      recompute(); // a re-created device has a new ifindex: every object on it changes
    }
    Repair r = writer.apply(plan(), true);
    repaired.addAll(r.repaired());
    failed.addAll(r.failed());
    if (!repaired.isEmpty()) {
      LOG.info("reconcile repaired {} objects", repaired.size());
    }
    return new Repair(repaired, failed);
  }

  /** Asks the backend again for every accepted peer's objects. */
  private void recompute() {
    desired.clearPeers();
    for (SubnetKey k : List.copyOf(admission.peers.keySet())) {
      admission.forget(k);
      PeerObjects o = admission.admit(k);
      if (o != null) {
        desired.put(k, o);
      }
    }
  }

  /** Devices the backend owns that are missing or not as they must be. */
  private List<Drift> deviceDrift() {
    List<Device> want = backend.devices();
    if (want.isEmpty()) {
      return List.of();
    }
    List<Device> have = new ArrayList<>();
    for (Device d : want) {
      netlink.link(d.name()).ifPresent(l -> have.add(Device.of(l, d.mac() != null)));
    }
    return KernelDiff.diff(want, have, o -> false);
  }

  /** Compares every wanted object with the kernel's. */
  private List<Drift> plan() {
    List<KernelObject> want = new ArrayList<>(desired.size() + 4);
    want.addAll(backend.deviceAddresses());
    want.addAll(backend.baseRoutes());
    want.addAll(desired.peerObjects());
    return KernelDiff.diff(want, kernelObjects(), ownership::ours);
  }

  /** What the kernel holds where our objects live: the device's and the main table's. */
  private List<KernelObject> kernelObjects() {
    List<KernelObject> have = new ArrayList<>(desired.size() + 16);
    for (int dev : new int[] {backend.deviceIndex(), backend.ipv6DeviceIndex()}) {
      if (dev != 0) {
        have.addAll(netlink.addresses(dev));
        have.addAll(netlink.neighbours(dev));
        have.addAll(netlink.fdb(dev));
      }
    }
    have.addAll(netlink.routes(io.jflannel.netlink.Route.TABLE_MAIN));
    return have;
  }

  /**
   * Answers one kernel event: ignores echoes of our own writes and objects that are not ours, puts
   * back one of ours that was deleted or altered, removes one in our space that no lease explains,
   * and asks for a full repair when an owned device changed or events were lost.
   */
  public synchronized Reaction kernelEvent(NetlinkEvent e) {
    if (closed) {
      return Reaction.NONE;
    }
    if (e.overflow()) {
      return Reaction.RESYNC;
    }
    if (e.link() != null) {
      return deviceEvent(e.removed(), e.link());
    }
    NetlinkObject o = e.object();
    NetlinkObject want = desired.wanted(o.key());
    if (want == null) {
      want = baseObject(o.key());
    }
    if (e.removed()) {
      return want == null ? Reaction.NONE : writer.fix(Drift.missing(want));
    }
    if (want != null) {
      return want.equals(o) ? Reaction.NONE : writer.fix(Drift.wrong(want, o));
    }
    return ownership.ours(o) ? writer.fix(Drift.extra(o)) : Reaction.NONE;
  }

  private NetlinkObject baseObject(Object key) {
    for (NetlinkObject b : backend.deviceAddresses()) {
      if (b.key().equals(key)) {
        return b;
      }
    }
    for (NetlinkObject b : backend.baseRoutes()) {
      if (b.key().equals(key)) {
        return b;
      }
    }
    return null;
  }

  private Reaction deviceEvent(boolean removed, Link l) {
    for (Device want : backend.devices()) {
      if (want.name().equals(l.name())) {
        return removed || !Device.of(l, want.mac() != null).equals(want)
            ? Reaction.RESYNC
            : Reaction.NONE;
      }
    }
    return removed
            && l.index() != 0
            && (l.index() == backend.deviceIndex() || l.index() == backend.ipv6DeviceIndex())
        ? Reaction.RESYNC
        : Reaction.NONE;
  }

  /** Peers accepted, as leases. */
  public synchronized List<Lease> peers() {
    return new ArrayList<>(admission.peers.values());
  }

  /** Peers accepted. */
  public synchronized int peerCount() {
    return admission.peers.size();
  }

  /** Leases rejected, with their reasons. */
  public synchronized List<Rejection> rejected() {
    return new ArrayList<>(admission.rejected.values());
  }

  /** Leases that lose a conflict to an older lease, this node's own included. */
  public synchronized int conflictCount() {
    return admission.conflictCount();
  }

  /**
   * Leases the backend failed on with something other than {@link BadLeaseException} (a bug), with
   * the exception: not programmed, not rejected.
   */
  public synchronized Map<SubnetKey, String> backendFailures() {
    return new HashMap<>(admission.failed);
  }

  /** Backend failures that were bugs, counted since the start. */
  public long backendErrorCount() {
    return admission.backendErrors();
  }

  /** True when the peer's kernel objects are programmed (false when it was rejected). */
  public synchronized boolean isProgrammed(SubnetKey subnets) {
    return admission.peers.containsKey(subnets);
  }

  /** Kernel objects wanted for peers. */
  public long objectCount() {
    return desired.count();
  }

  /** Objects repaired so far (only those whose repair succeeded). */
  public long repairCount() {
    return writer.repairs();
  }

  /** Kernel writes refused so far. */
  public long errorCount() {
    return writer.errors();
  }

  /**
   * What kept the kernel from being right at the last attempt (a device that cannot be re-created,
   * writes the kernel refuses); empty when the last writes all succeeded.
   */
  public List<String> problems() {
    return writer.problems();
  }

  /**
   * Stops all writing (SIGTERM): waits for a batch in flight, then nothing more is written; the
   * kernel state is kept as it is.
   */
  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      // a batch that was running has finished: from here on every call returns at once
    }
  }
}
