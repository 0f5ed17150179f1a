package io.jflannel.lease;

import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks a free subnet as flannel does: at random among the first 100 free subnets in [SubnetMin,
 * SubnetMax], so that agents starting together rarely collide while the range fills from the
 * bottom.
 */
public final class SubnetAllocator {
  /** How many free candidates the random pick chooses among. */
  public static final int CANDIDATES = 100;

  private SubnetAllocator() {}

  /** True when {@code subnet} overlaps none of {@code taken}. */
  public static boolean isFree(Ipv4Net subnet, Collection<Ipv4Net> taken) {
    return taken.stream().noneMatch(t -> t.overlaps(subnet));
  }

  /** A free subnet of the config's range, or empty when the range is full. */
  public static Optional<Ipv4Net> pick(
      NetworkConfig config, Collection<Ipv4Net> taken, RandomGenerator random) {
    Set<Ipv4Net> exact = new HashSet<>();
    List<Ipv4Net> odd = new ArrayList<>();
    for (Ipv4Net t : taken) {
      if (t.prefixLength() == config.subnetLen()) {
        exact.add(t);
      } else {
        odd.add(t);
      }
    }
    List<Ipv4Net> free = new ArrayList<>(CANDIDATES);
    long count = config.subnetCount();
    Ipv4Net s = config.subnetMin();
    for (long i = 0; i < count && free.size() < CANDIDATES; i++, s = s.next()) {
      if (!exact.contains(s) && isFree(s, odd)) {
        free.add(s);
      }
    }
    return free.isEmpty() ? Optional.empty() : Optional.of(free.get(random.nextInt(free.size())));
  }

  /**
   * A free IPv6 subnet of a dual-stack config's range, the same way: at random among the first
   * {@value #CANDIDATES} free ones; empty when the range is full.
   */
  public static Optional<Ipv6Net> pick(
      Ipv6Config config, Collection<Ipv6Net> taken, RandomGenerator random) {
    List<Ipv6Net> free = new ArrayList<>(CANDIDATES);
    BigInteger count = config.subnetCount();
    BigInteger base = config.subnetMin().address().toBigInteger();
    int shift = 128 - config.subnetLen();
    BigInteger i = BigInteger.ZERO;
    // each step takes a free subnet or steps past one taken network as a whole (a range holds 2^64
    // subnets and more: never walked one by one), so the loop ends within CANDIDATES + |taken|
    while (i.compareTo(count) < 0 && free.size() < CANDIDATES) {
      Ipv6Net s = config.subnetAt(i);
      Ipv6Net t = taken.stream().filter(x -> x.overlaps(s)).findFirst().orElse(null);
      if (t == null) {
        free.add(s);
        i = i.add(BigInteger.ONE);
      } else { // the first subnet after t (t is s itself, or a larger network around it)
        BigInteger end = t.address().toBigInteger().add(t.size());
        i = i.add(BigInteger.ONE).max(end.subtract(base).shiftRight(shift));
      }
    }
    return free.isEmpty() ? Optional.empty() : Optional.of(free.get(random.nextInt(free.size())));
  }
}
