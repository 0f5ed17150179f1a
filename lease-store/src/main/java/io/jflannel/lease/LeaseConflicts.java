package io.jflannel.lease;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rule that decides between two leases claiming the same thing (docs/architecture.md, "lease
 * conflicts"): a subnet of either family, a PublicIP, a PublicIPv6, or a VtepMAC of either family.
 * The older lease (lower etcd create revision, {@link Lease#olderThan}) keeps it; the younger is a
 * conflict, which programs nothing on any node. Leases are taken in age order and a lease that lost
 * to an older one claims nothing, so a chain of conflicts resolves the same way wherever it is
 * computed: every node, {@code jflanctl leases} and the acquire check apply this class to the same
 * leases and reach the same verdicts.
 *
 * <p>Only leases that pass the cluster-wide checks take part (the caller filters them): an invalid
 * lease never takes anything from a valid one. Claims are those of the families the network
 * enables; the PublicIP 0.0.0.0 of IPv6-only leases claims nothing.
 *
 * <p>Incremental: {@link #put} and {@link #remove} return the other leases whose verdict changed,
 * so a caller that programs leases touches only those. Not thread-safe.
 */
public final class LeaseConflicts {
  /**
   * Why a lease loses.
   *
   * @param holder the key of the older lease that keeps the claim
   * @param holderNode the node address of that lease ({@link LeaseAttrs#nodeAddress})
   * @param claim what both claim, e.g. {@code IPv4 subnet 10.244.3.0/24}, {@code VtepMAC
   *     aa:bb:cc:00:00:0a}
   */
  public record Conflict(SubnetKey holder, String holderNode, String claim) {
    /** One line: what is taken, and by whom. */
    public String reason() {
      return "conflict: "
          + claim
          + " is held by the older lease "
          + holder.toKey()
          + " ("
          + holderNode
          + ")";
    }
  }

  private static final class Entry {
    final Lease lease;
    final List<String> claims;
    Conflict conflict;

    Entry(Lease lease, List<String> claims) {
      this.lease = lease;
      this.claims = claims;
    }
  }

  private static final Comparator<Entry> AGE =
      (a, b) -> a == b ? 0 : a.lease.olderThan(b.lease) ? -1 : 1;

  private final NetworkConfig config;
  private final Map<SubnetKey, Entry> entries = new HashMap<>();
  private final Map<String, List<Entry>> holders = new HashMap<>();

  /** An empty index for the leases of {@code config}'s network. */
  public LeaseConflicts(NetworkConfig config) {
    this.config = config;
  }

  /**
   * The verdicts for a whole set of leases: the losers and why. Leases that fail {@code takesPart}
   * (the cluster-wide checks) are left out.
   */
  public static Map<SubnetKey, Conflict> of(
      NetworkConfig config, Collection<Lease> leases, Predicate<Lease> takesPart) {
    LeaseConflicts c = new LeaseConflicts(config);
    List<Lease> sorted = new ArrayList<>(leases.size());
    for (Lease l : leases) {
      if (takesPart.test(l)) {
        sorted.add(l);
      }
    }
    sorted.sort((a, b) -> a.key().equals(b.key()) ? 0 : a.olderThan(b) ? -1 : 1);
    sorted.forEach(c::put); // oldest first: each verdict is final when it is made
    Map<SubnetKey, Conflict> out = new LinkedHashMap<>();
    c.entries.forEach(
        (k, e) -> {
          if (e.conflict != null) {
            out.put(k, e.conflict);
          }
        });
    return out;
  }

  /**
   * Adds a lease or replaces the lease of its key.
   *
   * @return the keys of other leases whose verdict changed
   */
  public Set<SubnetKey> put(Lease lease) {
    Set<Entry> work = new HashSet<>();
    Entry old = entries.remove(lease.key());
    if (old != null) {
      unlink(old, work);
    }
    Entry e = new Entry(lease, claims(lease));
    entries.put(lease.key(), e);
    for (String c : e.claims) {
      List<Entry> h = holders.computeIfAbsent(c, k -> new ArrayList<>(1));
      int at = 0;
      while (at < h.size() && AGE.compare(h.get(at), e) < 0) {
        at++;
      }
      h.add(at, e);
      work.addAll(h);
    }
    work.add(e);
    return settle(work, e);
  }

  /**
   * Forgets the lease of {@code key}.
   *
   * @return the keys of other leases whose verdict changed
   */
  public Set<SubnetKey> remove(SubnetKey key) {
    Entry old = entries.remove(key);
    if (old == null) {
      return Set.of();
    }
    Set<Entry> work = new HashSet<>();
    unlink(old, work);
    return settle(work, null);
  }

  /** Why the lease of {@code key} loses, or null when it keeps all it claims (or is unknown). */
  public Conflict conflict(SubnetKey key) {
    Entry e = entries.get(key);
    return e == null ? null : e.conflict;
  }

  /** How many leases lose to an older one. */
  public int conflictCount() {
    int n = 0;
    for (Entry e : entries.values()) {
      n += e.conflict == null ? 0 : 1;
    }
    return n;
  }

  /** Forgets every lease. */
  public void clear() {
    entries.clear();
    holders.clear();
  }

  private void unlink(Entry old, Set<Entry> work) {
    for (String c : old.claims) {
      List<Entry> h = holders.get(c);
      h.remove(old);
      if (h.isEmpty()) {
        holders.remove(c);
      } else {
        work.addAll(h);
      }
    }
  }

  /**
   * Re-decides {@code start} and what depends on it, oldest first: a verdict depends only on older
   * leases, so a lease whose verdict changes re-queues the younger ones sharing a claim with it.
   */
  private Set<SubnetKey> settle(Set<Entry> start, Entry put) {
    PriorityQueue<Entry> queue = new PriorityQueue<>(AGE);
    Set<Entry> queued = new HashSet<>(start);
    queue.addAll(start);
    Set<SubnetKey> changed = new HashSet<>();
    while (!queue.isEmpty()) {
      Entry x = queue.poll();
      queued.remove(x);
      Conflict v = verdict(x);
      if (Objects.equals(v, x.conflict)) {
        continue;
      }
      x.conflict = v;
      if (x != put) {
        changed.add(x.lease.key());
      }
      for (String c : x.claims) {
        for (Entry y : holders.get(c)) {
          if (AGE.compare(x, y) < 0 && queued.add(y)) {
            queue.add(y);
          }
        }
      }
    }
    return changed;
  }

  /** The first claim of {@code x} an older lease that lost nothing already holds. */
  private Conflict verdict(Entry x) {
    for (String c : x.claims) {
      for (Entry h : holders.get(c)) {
        if (h == x) {
          break;
        }
        if (h.conflict == null) {
          return new Conflict(h.lease.key(), String.valueOf(h.lease.attrs().nodeAddress()), c);
        }
      }
    }
    return null;
  }

  /** What a lease claims in this network, each as the words a conflict names it by. */
  List<String> claims(Lease l) {
    List<String> out = new ArrayList<>(6);
    LeaseAttrs a = l.attrs();
    if (config.ipv4()) {
      if (l.subnet() != null) {
        out.add("IPv4 subnet " + l.subnet());
      }
      if (a.publicIp().value() != 0) {
        out.add("PublicIP " + a.publicIp());
      }
      mac(out, "VtepMAC ", a.vtepMac());
    }
    if (config.dualStack()) {
      if (l.ipv6Subnet() != null) {
        out.add("IPv6 subnet " + l.ipv6Subnet());
      }
      if (a.publicIpv6() != null) {
        out.add("PublicIPv6 " + normal6(a.publicIpv6()));
      }
      mac(out, "IPv6 VtepMAC ", a.vtepMacV6());
    }
    return out;
  }

  private static void mac(List<String> out, String what, String mac) {
    if (mac != null) {
      out.add(what + mac.toLowerCase(java.util.Locale.ROOT).replace('-', ':'));
    }
  }

  private static String normal6(String text) {
    try {
      return io.jflannel.net.Ipv6Address.parse(text).toString();
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
