package io.jflannel.lease;

import io.jflannel.lease.LeaseStoreException.Reason;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease policy of docs/architecture.md; flannel's etcd schema over any {@link LeaseRegistry}.
 */
final class DefaultLeaseStore implements LeaseStore {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultLeaseStore.class);
  private static final int MAX_RACES = 64;

  private final LeaseRegistry registry;
  private final LeaseStoreOptions options;
  private final LeaseCheck check;

  DefaultLeaseStore(LeaseRegistry registry, LeaseStoreOptions options, LeaseCheck check) {
    this.registry = registry;
    this.options = options;
    this.check = check;
  }

  @Override
  public LeaseRegistry registry() {
    return registry;
  }

  @Override
  public NetworkConfig awaitNetworkConfig() throws InterruptedException {
    String key = registry.prefix() + "/config";
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<String> raw = registry.getNetworkConfig();
        if (raw.isPresent()) {
          return NetworkConfig.parse(raw.get());
        }
        LOG.warn(
            "network config {} not found (attempt {}); write it with `jflanctl config set` or etcdctl put; retrying in {} ms",
            key,
            attempt,
            options.configRetry().toMillis());
      } catch (LeaseStoreException e) {
        if (e.reason() != Reason.UNAVAILABLE) {
          throw e;
        }
        LOG.warn(
            "cannot read network config {} (attempt {}): {}; retrying",
            key,
            attempt,
            e.getMessage());
      }
      Thread.sleep(options.configRetry().toMillis());
    }
  }

  @Override
  public Lease acquire(
      NetworkConfig config, LeaseAttrs attrs, SubnetKey previous, boolean mayMove) {
    for (int race = 0; race < MAX_RACES; race++) {
      LeaseSnapshot snap = registry.listLeases();
      if (!mayMove) {
        refuseToMove(config, attrs, snap);
      }
      Optional<Lease> own = reuseOwn(config, attrs, snap);
      if (own == null) {
        continue; // our lease changed under us: look again
      }
      if (own.isPresent()) {
        if (keptAgainst(config, own.get(), snap)) {
          return own.get();
        }
        continue;
      }
      List<Ipv4Net> taken = new ArrayList<>();
      List<Ipv6Net> taken6 = new ArrayList<>();
      for (Lease l : snap.leases()) {
        if (!l.attrs().sameNode(attrs)) {
          if (l.subnet() != null) {
            taken.add(l.subnet());
          }
          if (l.ipv6Subnet() != null) {
            taken6.add(l.ipv6Subnet());
          }
        }
      }
      SubnetKey key =
          new SubnetKey(
              config.ipv4() ? pick4(config, attrs, snap, taken, previous) : null,
              config.dualStack()
                  ? pick6(config, taken6, previous == null ? null : previous.ipv6())
                  : null);
      Optional<Lease> created = registry.createLease(key, attrs, options.leaseTtl());
      if (created.isPresent() && keptAgainst(config, created.get(), registry.listLeases())) {
        LOG.info(
            "acquired subnet {} for {} (ttl {})", key, attrs.nodeAddress(), options.leaseTtl());
        return created.get();
      }
      if (created.isPresent()) {
        continue; // another node created a lease of one of these subnets first: pick again
      }
      LOG.info("subnet {} was taken by another node meanwhile; trying again", key);
    }
    throw new LeaseStoreException(
        Reason.UNAVAILABLE, "could not acquire a subnet after " + MAX_RACES + " lost races");
  }

  /**
   * True when {@code mine} keeps its subnets among the leases of {@code snap}: no older lease that
   * takes part (it passes the cluster-wide checks and lost nothing itself) holds a subnet of either
   * family of it. Two nodes that listed the leases before either wrote can pick the same IPv6
   * subnet under different keys (the create transaction only sees its own key): the younger one
   * finds the older here, deletes its lease and picks again, so no two live leases share a subnet.
   * Every node decides by the same rule as {@link LeaseConflicts}, which the agents apply to leases
   * written by anyone else.
   */
  private boolean keptAgainst(NetworkConfig config, Lease mine, LeaseSnapshot snap) {
    java.util.function.Predicate<Lease> takesPart = l -> check.reject(config, l) == null;
    java.util.Map<SubnetKey, LeaseConflicts.Conflict> lost =
        LeaseConflicts.of(config, snap.leases(), takesPart);
    for (Lease l : snap.leases()) {
      if (l.key().equals(mine.key()) || !l.olderThan(mine) || lost.containsKey(l.key())) {
        continue;
      }
      boolean four = config.ipv4() && mine.subnet() != null && mine.subnet().equals(l.subnet());
      boolean six =
          config.dualStack()
              && mine.ipv6Subnet() != null
              && mine.ipv6Subnet().equals(l.ipv6Subnet());
      if ((four || six) && takesPart.test(l)) {
        LOG.warn(
            "{} subnet {} is also in the older lease {} of {}: giving up ours ({}) and picking"
                + " again",
            four ? "IPv4" : "IPv6",
            four ? mine.subnet() : mine.ipv6Subnet(),
            l.key().toKey(),
            l.attrs().nodeAddress(),
            mine.key().toKey());
        registry.deleteLease(mine.key());
        return false;
      }
    }
    return true;
  }

  private Ipv4Net pick4(
      NetworkConfig config,
      LeaseAttrs attrs,
      LeaseSnapshot snap,
      List<Ipv4Net> taken,
      SubnetKey previous) {
    return Optional.ofNullable(previous)
        .map(SubnetKey::ipv4)
        .or(() -> ownIpv4(config, attrs, snap))
        .filter(config::fits)
        .filter(p -> SubnetAllocator.isFree(p, taken))
        .orElseGet(
            () ->
                SubnetAllocator.pick(config, taken, options.random())
                    .orElseThrow(
                        () ->
                            new LeaseStoreException(
                                Reason.OUT_OF_SUBNETS,
                                "out of subnets in "
                                    + config.network()
                                    + " ("
                                    + taken.size()
                                    + " leased between "
                                    + config.subnetMin()
                                    + " and "
                                    + config.subnetMax()
                                    + "); see docs/troubleshooting.md#subnet-exhaustion")));
  }

  private Ipv6Net pick6(NetworkConfig config, List<Ipv6Net> taken, Ipv6Net previous) {
    Ipv6Config c = config.ipv6();
    if (previous != null && c.fits(previous) && taken.stream().noneMatch(previous::overlaps)) {
      return previous;
    }
    return SubnetAllocator.pick(c, taken, options.random())
        .orElseThrow(
            () ->
                new LeaseStoreException(
                    Reason.OUT_OF_SUBNETS,
                    "out of IPv6 subnets in "
                        + c.network()
                        + " ("
                        + taken.size()
                        + " leased between "
                        + c.subnetMin()
                        + " and "
                        + c.subnetMax()
                        + "); see docs/troubleshooting.md#subnet-exhaustion"));
  }

  /**
   * The IPv4 subnet of a lease of ours that {@link #reuseOwn} deleted although its IPv4 subnet fits
   * (IPv6 turned on: it had no IPv6 subnet): the node takes the same IPv4 subnet with an IPv6 one.
   */
  private static Optional<Ipv4Net> ownIpv4(
      NetworkConfig config, LeaseAttrs attrs, LeaseSnapshot snap) {
    return snap.leases().stream()
        .filter(l -> l.attrs().sameNode(attrs) && !l.isReservation())
        .map(Lease::subnet)
        .filter(config::fits)
        .findFirst();
  }

  private static void refuseToMove(NetworkConfig config, LeaseAttrs attrs, LeaseSnapshot snap) {
    boolean fits = false;
    Lease misfit = null;
    for (Lease l : snap.leases()) {
      if (l.attrs().sameNode(attrs)) {
        if (keepsFitting(config, l)) {
          fits = true;
        } else if (!l.isReservation()) {
          misfit = l;
        }
      }
    }
    if (misfit != null && !fits) {
      throw new LeaseStoreException(
          Reason.WOULD_MOVE,
          "this node ("
              + attrs.nodeAddress()
              + ") holds "
              + misfit.key()
              + ", which the network config ("
              + config.networks()
              + (config.ipv4() ? ", /" + config.subnetLen() + " subnets" : "")
              + ") no longer allows; taking another subnet would cut this node's pods off");
    }
  }

  /**
   * True when each subnet {@code l} has of a family the network enables still fits: moving would
   * take one of them (a lease without an IPv6 subnet in a dual-stack network gains one, it does not
   * move).
   */
  private static boolean keepsFitting(NetworkConfig config, Lease l) {
    boolean v4 = !config.ipv4() || config.fits(l.subnet());
    Ipv6Config c6 = config.ipv6();
    boolean v6 = c6 == null || (l.ipv6Subnet() == null ? config.ipv4() : c6.fits(l.ipv6Subnet()));
    return v4 && v6;
  }

  /**
   * Our existing lease, refreshed; empty when we have none; null when it changed while we refreshed
   * it (look again).
   */
  private Optional<Lease> reuseOwn(NetworkConfig config, LeaseAttrs attrs, LeaseSnapshot snap) {
    Lease reuse = null;
    for (Lease l : snap.leases()) {
      if (!l.attrs().sameNode(attrs)) {
        continue;
      }
      if (reuse == null && config.fits(l)) {
        reuse = l;
      } else if (!l.isReservation()) {
        LOG.info(
            "deleting lease {} of {}: {}",
            l.key(),
            attrs.nodeAddress(),
            reuse == null
                ? "it no longer fits the network config"
                    + (config.dualStack() && config.fits(l.subnet())
                        ? " (no IPv6 subnet in " + config.ipv6().network() + ")"
                        : "")
                : "a duplicate of " + reuse.key());
        registry.deleteLease(l.key());
      }
    }
    if (reuse == null) {
      return Optional.empty();
    }
    LeaseAttrs merged = attrs.keepingUnknownFieldsOf(reuse.attrs());
    if (reuse.isReservation()) {
      LOG.info("taking reserved subnet {} for {}", reuse.key(), attrs.nodeAddress());
      if (merged.toJson().equals(reuse.attrs().toJson())) {
        return Optional.of(reuse);
      }
      Optional<Lease> u = registry.updateLease(reuse, merged, null);
      return u.isPresent() ? u : null;
    }
    LOG.info("reusing subnet {} already leased to {}", reuse.key(), attrs.nodeAddress());
    Optional<Lease> u = registry.updateLease(reuse, merged, options.leaseTtl());
    return u.isPresent() ? u : null;
  }

  @Override
  public LeaseKeeper keep(Lease lease, LeaseKeeper.Listener listener) {
    LeaseKeeper k = new LeaseKeeper(registry, options, lease, listener);
    k.start();
    return k;
  }

  @Override
  public LeaseWatcher watch(SubnetKey own, LeaseWatcher.Listener listener, LeaseKeeper keeper) {
    LeaseWatcher w = new LeaseWatcher(registry, options, own, listener, keeper);
    w.start();
    return w;
  }
}
