package io.jflannel.backend;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Batch;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Netlink;
import io.jflannel.netlink.NetlinkException;
import io.jflannel.netlink.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel in step with the peer leases for any backend: lease events become batched
 * netlink writes; {@link #reconcile()} compares what the peers need with what the kernel holds and
 * repairs both ways (restores what vanished, removes routes inside the cluster network that no
 * lease explains). Thread-safe; calls are serialized.
 */
public final class PeerSync {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);
  private static final int RTPROT_KERNEL = 2;

  private final Netlink netlink;
  private final Backend backend;
  private final Ipv4Net network;
  private final int subnetLen;
  private final Ipv4Net own;
  private final Map<Ipv4Net, Lease> peers = new HashMap<>();
  private final Map<Ipv4Net, PeerObjects> programmed = new HashMap<>();
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong repairs = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /** A sync for {@code backend} on {@code netlink}; {@code own} is never treated as a peer. */
  public PeerSync(Netlink netlink, Backend backend, Ipv4Net network, int subnetLen, Ipv4Net own) {
    this.netlink = netlink;
    this.backend = backend;
    this.network = network;
    this.subnetLen = subnetLen;
    this.own = own;
  }

  /** Replaces the whole peer set (a snapshot) and reconciles. */
  public synchronized void snapshot(Collection<Lease> leases) {
    peers.clear();
    leases.forEach(
        l -> {
          if (!l.subnet().equals(own)) {
            peers.put(l.subnet(), l);
          }
        });
    apply(plan(), false);
    backend.peersChanged(peers.values());
  }

  /** Applies lease events with one batch. */
  public synchronized void events(List<LeaseEvent> events) {
    Batch b = netlink.batch();
    for (LeaseEvent e : events) {
      Ipv4Net s = e.lease().subnet();
      if (s.equals(own)) {
        continue;
      }
      PeerObjects old = programmed.remove(s);
      if (e.type() == LeaseEvent.Type.REMOVED) {
        peers.remove(s);
        if (old != null) {
          remove(b, old);
          LOG.info("peer {} left", s);
        }
        continue;
      }
      peers.put(s, e.lease());
      PeerObjects now = objects(e.lease());
      if (old != null && !old.equals(now)) {
        remove(b, old);
      }
      if (now != null) {
        add(b, now);
        programmed.put(s, now);
        LOG.info("peer {} at {}", s, e.lease().attrs().publicIp());
      }
    }
    run(b);
    backend.peersChanged(peers.values());
  }

  /** Level-triggered repair; returns how many objects it fixed. */
  public synchronized int reconcile() {
    return repair().size();
  }

  /** Level-triggered repair; returns what it found wrong and repaired. */
  public synchronized List<Drift> repair() {
    List<Drift> drift = plan();
    apply(drift, true);
    return drift;
  }

  /** Makes the kernel what {@code drift} says is wanted; counts repairs unless programming anew. */
  private void apply(List<Drift> drift, boolean repair) {
    Batch b = netlink.batch();
    for (Drift d : drift) {
      if (d.want() instanceof Address a) {
        restoreAddress(a);
      } else if (d.have() instanceof Address a) {
        removeAddress(a);
      } else if (d.want() != null) {
        replace(b, d.want());
      } else {
        delete(b, d.have());
      }
    }
    int fixes = drift.size();
    run(b); // counts the objects
    if (fixes > 0 && repair) {
      repairs.addAndGet(fixes);
      LOG.info("reconcile repaired {} kernel objects", fixes);
    }
  }

  /** What reconcile would repair now, without repairing it. */
  public synchronized List<Drift> diff() {
    return plan();
  }

  /** Compares what the peers need with the kernel; refreshes {@code programmed}. */
  private List<Drift> plan() {
    programmed.clear();
    Map<Ipv4Net, Route> wantRoutes = new HashMap<>();
    Map<String, Neighbour> wantNeigh = new HashMap<>();
    Map<String, FdbEntry> wantFdb = new HashMap<>();
    for (Lease l : peers.values()) {
      PeerObjects o = objects(l);
      if (o == null) {
        continue;
      }
      programmed.put(l.subnet(), o);
      o.routes().forEach(r -> wantRoutes.put(r.destination(), r));
      o.neighbours().forEach(n -> wantNeigh.put(n.ifindex() + " " + n.address(), n));
      o.fdb().forEach(f -> wantFdb.put(f.ifindex() + " " + f.mac() + " " + f.destination(), f));
    }
    List<Drift> drift = new ArrayList<>();
    for (Address a : backend.deviceAddresses()) {
      List<Address> have = netlink.addresses(a.ifindex());
      if (!have.contains(a)) {
        drift.add(Drift.missing(a));
      }
      have.stream().filter(h -> !h.equals(a)).forEach(h -> drift.add(Drift.extra(h)));
    }
    int dev = backend.deviceIndex();
    if (dev != 0) {
      Set<String> have = new HashSet<>();
      for (Neighbour n : netlink.neighbours(dev)) {
        String k = n.ifindex() + " " + n.address();
        have.add(k);
        Neighbour want = wantNeigh.get(k);
        if (want == null && network.contains(n.address())) {
          drift.add(Drift.extra(n));
        } else if (want != null && !want.equals(n)) {
          drift.add(Drift.wrong(want, n));
        }
      }
      wantNeigh.forEach(
          (k, n) -> {
            if (!have.contains(k)) {
              drift.add(Drift.missing(n));
            }
          });
      Set<String> haveFdb = new HashSet<>();
      for (FdbEntry f : netlink.fdb(dev)) {
        String k = f.ifindex() + " " + f.mac() + " " + f.destination();
        haveFdb.add(k);
        if (!wantFdb.containsKey(k)) {
          drift.add(Drift.extra(f));
        }
      }
      wantFdb.forEach(
          (k, f) -> {
            if (!haveFdb.contains(k)) {
              drift.add(Drift.missing(f));
            }
          });
    }
    Map<Ipv4Net, Route> haveRoutes = new HashMap<>();
    List<Route> kernel = netlink.routes(Route.TABLE_MAIN);
    for (Route base : backend.baseRoutes()) {
      if (!kernel.contains(base)) {
        drift.add(Drift.missing(base));
      }
    }
    for (Route r : kernel) {
      Ipv4Net d = r.destination();
      if (!network.contains(d)
          || d.prefixLength() != subnetLen
          || d.equals(own)
          || r.protocol() == RTPROT_KERNEL) {
        continue;
      }
      Route want = wantRoutes.get(d);
      if (want == null) {
        drift.add(Drift.extra(r));
      } else {
        haveRoutes.put(d, r);
      }
    }
    wantRoutes.forEach(
        (d, r) -> {
          Route have = haveRoutes.get(d);
          if (have == null) {
            drift.add(Drift.missing(r));
          } else if (!have.equals(r)) {
            drift.add(Drift.wrong(r, have));
          }
        });
    return drift;
  }

  private void restoreAddress(Address want) {
    try {
      netlink.replaceAddress(want);
    } catch (NetlinkException e) {
      errors.incrementAndGet();
      LOG.warn("restoring address {}: {}", want, e.getMessage());
    }
  }

  private void removeAddress(Address extra) {
    try {
      netlink.deleteAddress(extra);
    } catch (NetlinkException e) {
      errors.incrementAndGet();
      LOG.warn("removing address {}: {}", extra, e.getMessage());
    }
  }

  private static void replace(Batch b, Object o) {
    if (o instanceof Route r) {
      b.replaceRoute(r);
    } else if (o instanceof Neighbour n) {
      b.replaceNeighbour(n);
    } else if (o instanceof FdbEntry f) {
      b.replaceFdb(f);
    }
  }

  private static void delete(Batch b, Object o) {
    if (o instanceof Route r) {
      LOG.info(
          "removing stale route {} via {} (no lease explains it)", r.destination(), r.gateway());
      b.deleteRoute(r);
    } else if (o instanceof Neighbour n) {
      b.deleteNeighbour(n);
    } else if (o instanceof FdbEntry f) {
      b.deleteFdb(f);
    }
  }

  private PeerObjects objects(Lease l) {
    if (l.attrs() == null) {
      return null;
    }
    try {
      PeerObjects o = backend.objectsFor(l);
      if (o == null) {
        LOG.warn(
            "peer {} ({}, backend {}) cannot be reached by the {} backend: skipped",
            l.subnet(),
            l.attrs().publicIp(),
            l.attrs().effectiveBackendType(),
            backend.type());
      }
      return o;
    } catch (RuntimeException e) {
      errors.incrementAndGet();
      LOG.warn("peer {}: unusable lease ({}): skipped", l.subnet(), e.getMessage());
      return null;
    }
  }

  private static void add(Batch b, PeerObjects o) {
    o.neighbours().forEach(b::replaceNeighbour);
    o.fdb().forEach(b::replaceFdb);
    o.routes().forEach(b::replaceRoute);
  }

  private static void remove(Batch b, PeerObjects o) {
    o.routes().forEach(b::deleteRoute);
    o.fdb().forEach(b::deleteFdb);
    o.neighbours().forEach(b::deleteNeighbour);
  }

  private void run(Batch b) {
    try {
      b.execute();
    } catch (NetlinkException e) {
      errors.incrementAndGet();
      LOG.warn(
          "programming peers: {} (+{} more); the next reconcile retries",
          e.getMessage(),
          e.getSuppressed().length);
    }
    objects.set(programmed.values().stream().mapToLong(PeerObjects::size).sum());
  }

  /** Peers known. */
  public synchronized int peerCount() {
    return peers.size();
  }

  /** Peers known, as leases. */
  public synchronized List<Lease> peers() {
    return new ArrayList<>(peers.values());
  }

  /** True when the peer's kernel objects are programmed (false when this backend skips it). */
  public synchronized boolean isProgrammed(Ipv4Net subnet) {
    return programmed.containsKey(subnet);
  }

  /** Kernel objects programmed for peers. */
  public long objectCount() {
    return objects.get();
  }

  /** Objects repaired by reconciles so far. */
  public long repairCount() {
    return repairs.get();
  }

  /** Netlink errors so far. */
  public long errorCount() {
    return errors.get();
  }
}
