package io.jflannel.lease;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;

/**
 * A registry that makes {@code parties} acquisitions race for certain: each caller's first listing
 * waits until all have listed, so every one picks from the same snapshot before any writes (what
 * happens by chance when nodes start at the same instant).
 */
final class RacingRegistry implements LeaseRegistry {
  private final LeaseRegistry d;
  private final CyclicBarrier barrier;
  private final ThreadLocal<Boolean> listed = ThreadLocal.withInitial(() -> false);

  RacingRegistry(LeaseRegistry delegate, int parties) {
    this.d = delegate;
    this.barrier = new CyclicBarrier(parties);
  }

  @Override
  public LeaseSnapshot listLeases() {
    LeaseSnapshot s = d.listLeases();
    if (!listed.get()) {
      listed.set(true);
      try {
        barrier.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return s;
  }

  @Override
  public String prefix() {
    return d.prefix();
  }

  @Override
  public RegistryWatch watchConfig(ConfigListener listener) {
    return d.watchConfig(listener);
  }

  @Override
  public Optional<String> getNetworkConfig() {
    return d.getNetworkConfig();
  }

  @Override
  public void putNetworkConfig(String json) {
    d.putNetworkConfig(json);
  }

  @Override
  public boolean createNetworkConfig(String json) {
    return d.createNetworkConfig(json);
  }

  @Override
  public Optional<Lease> getLease(SubnetKey subnets) {
    return d.getLease(subnets);
  }

  @Override
  public Optional<Lease> createLease(SubnetKey subnets, LeaseAttrs attrs, Duration ttl) {
    return d.createLease(subnets, attrs, ttl);
  }

  @Override
  public Optional<Lease> updateLease(Lease current, LeaseAttrs attrs, Duration ttl) {
    return d.updateLease(current, attrs, ttl);
  }

  @Override
  public Optional<Lease> renewLease(Lease current) {
    return d.renewLease(current);
  }

  @Override
  public boolean deleteLease(SubnetKey subnets) {
    return d.deleteLease(subnets);
  }

  @Override
  public Optional<Duration> timeToLive(long storeLeaseId) {
    return d.timeToLive(storeLeaseId);
  }

  @Override
  public RegistryWatch watchLeases(long fromRevision, RegistryWatch.Listener listener) {
    return d.watchLeases(fromRevision, listener);
  }

  @Override
  public void setObserver(RegistryObserver observer) {
    d.setObserver(observer);
  }

  @Override
  public void close() {}
}
