package io.jflannel.lease.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.RegistryWatch;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A watch closed by its owner while another client writes: the write succeeds (it once failed with
 * the closed watch's RejectedExecutionException, which made an agent's start die in acquire).
 */
class MemoryWatchCloseTest {
  static final RegistryWatch.Listener IGNORE =
      new RegistryWatch.Listener() {
        @Override
        public void onEvents(List<LeaseEvent> events, long revision) {}

        @Override
        public void onCompacted(long compactRevision) {}

        @Override
        public void onError(Throwable error) {}
      };

  @Test
  void writesNeverFailBecauseAWatchClosesMeanwhile() throws Exception {
    try (InMemoryLeaseRegistry r = new InMemoryLeaseRegistry("/p")) {
      LeaseAttrs a = LeaseAttrs.of(Ipv4Address.parse("198.18.0.1"), "host-gw", null);
      for (int round = 0; round < 300; round++) {
        List<RegistryWatch> ws =
            List.of(r.watchLeases(0, IGNORE), r.watchLeases(0, IGNORE), r.watchLeases(0, IGNORE));
        CountDownLatch go = new CountDownLatch(1);
        Thread closer =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  ws.forEach(RegistryWatch::close);
                });
        closer.start();
        go.countDown();
        Ipv4Net s = Ipv4Net.parse("10.244." + (round % 250) + ".0/24");
        for (int i = 0; i < 20; i++) {
          r.createLease(s, a, Duration.ofHours(1)); // each publishes to the watches
          r.deleteLease(s);
        }
        closer.join();
      }
      assertThat(r.listLeases().leases()).isEmpty();
    }
  }
}
