package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.lease.memory.InMemoryLeaseRegistry;
import io.jflannel.net.Ipv4Net;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * A fleet's watchers after a shared failure: 100 watchers on one store lose their watch at the same
 * instant (an etcd outage of 4 s), retry through it, and reconnect when it ends. With exponential
 * backoff and full jitter their reconnects spread over seconds; in lock-step (the backoff without
 * jitter this replaced) all would arrive within a few milliseconds of each other.
 */
class ReconnectSpreadTest {
  static final int CLIENTS = 100;

  @Test
  void reconnectsAfterASharedOutageAreSpreadOut() throws Exception {
    InMemoryLeaseRegistry etcd = new InMemoryLeaseRegistry("/coreos.com/network");
    AtomicLongArray watching = new AtomicLongArray(CLIENTS); // nanoTime of the last good watch
    List<LeaseWatcher> watchers = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        LeaseStore s =
            LeaseStore.create(recording(etcd, watching, i), LeaseStoreOptions.defaults());
        SubnetKey own = new SubnetKey(Ipv4Net.parse("10.244." + i + ".0/24"), null);
        watchers.add(s.watch(own, quiet(), null));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> all(watching, 0));
      etcd.setAvailable(false); // every watch ends at once; retries fail until it is back
      Thread.sleep(4000);
      long back = System.nanoTime();
      etcd.setAvailable(true);
      await().atMost(Duration.ofSeconds(15)).until(() -> all(watching, back));
      long[] ms = new long[CLIENTS];
      for (int i = 0; i < CLIENTS; i++) {
        ms[i] = (watching.get(i) - back) / 1_000_000;
      }
      Arrays.sort(ms);
      int busiest = 0;
      for (int i = 0, j = 0; i < CLIENTS; i++) {
        while (ms[i] - ms[j] >= 100) {
          j++;
        }
        busiest = Math.max(busiest, i - j + 1);
      }
      System.out.printf(
          "reconnects of %d watchers after a 4 s outage: first %d ms, median %d ms, last %d ms;"
              + " at most %d in any 100 ms%n",
          CLIENTS, ms[0], ms[CLIENTS / 2], ms[CLIENTS - 1], busiest);
      assertThat(ms[CLIENTS - 1] - ms[0]).as("spread of the reconnects (ms)").isGreaterThan(1000);
      assertThat(busiest)
          .as("reconnects within one 100 ms window")
          .isLessThanOrEqualTo(CLIENTS / 4);
    } finally {
      watchers.forEach(LeaseWatcher::close);
      etcd.close();
    }
  }

  private static boolean all(AtomicLongArray watching, long after) {
    for (int i = 0; i < watching.length(); i++) {
      if (watching.get(i) <= after) {
        return false;
      }
    }
    return true;
  }

  /** The registry as client {@code i} sees it: records when a watch of its starts for good. */
  private static LeaseRegistry recording(LeaseRegistry d, AtomicLongArray watching, int i) {
    return (LeaseRegistry)
        Proxy.newProxyInstance(
            LeaseRegistry.class.getClassLoader(),
            new Class<?>[] {LeaseRegistry.class},
            (proxy, m, args) -> {
              try {
                Object r = m.invoke(d, args);
                if (m.getName().equals("watchLeases")) {
                  watching.set(i, System.nanoTime());
                }
                return r;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static LeaseWatcher.Listener quiet() {
    return new LeaseWatcher.Listener() {
      @Override
      public void onSnapshot(List<Lease> peers) {}

      @Override
      public void onEvents(List<LeaseEvent> events) {}
    };
  }
}
