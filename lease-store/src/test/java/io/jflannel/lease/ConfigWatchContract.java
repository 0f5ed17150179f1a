package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.net.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What lets an idle node leave etcd alone: the config key is followed by a watch (its value at
 * once, then every change, nothing after close), and the keeper learns from the lease watch alone
 * that another node wrote over its key. Mixed into {@link LeaseRegistryContract}, so it runs on
 * every registry.
 */
interface ConfigWatchContract {
  String FIRST = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";
  String SECOND = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":2}}";

  LeaseRegistry registryUnderTest();

  LeaseStore storeUnderTest();

  void putRawValue(String relativeKey, String value);

  @Test
  default void configWatchGivesTheValueThenEveryChangeAndNothingAfterClose() {
    LeaseRegistry r = registryUnderTest();
    List<Optional<String>> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    RegistryWatch w = r.watchConfig(listener(seen, error));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    assertThat(seen.get(0)).as("no config yet").isEmpty();
    r.putNetworkConfig(FIRST);
    r.putNetworkConfig(SECOND);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
    assertThat(seen.subList(1, 3)).containsExactly(Optional.of(FIRST), Optional.of(SECOND));
    w.close();
    r.putNetworkConfig(FIRST);
    RegistryWatch again = r.watchConfig(listener(seen, error));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
    assertThat(seen.get(3)).as("a new watch starts from the value now").contains(FIRST);
    again.close();
    assertThat(error.get()).isNull();
  }

  @Test
  default void keeperLearnsFromTheWatchThatAnotherNodeWroteOverItsKey() {
    LeaseStore s = storeUnderTest();
    NetworkConfig c = NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\"}");
    LeaseAttrs mine = LeaseAttrs.of(Ipv4Address.parse("198.18.4.1"), "host-gw", null);
    Lease l = s.acquire(c, mine, Optional.empty());
    AtomicReference<String> lost = new AtomicReference<>();
    LeaseKeeper k =
        s.keep(
            l,
            new LeaseKeeper.Listener() {
              @Override
              public void lost(Lease x, String why) {
                lost.set(why);
              }
            });
    LeaseWatcher w =
        s.watch(
            l.key(),
            new LeaseWatcher.Listener() {
              @Override
              public void onSnapshot(List<Lease> peers) {}

              @Override
              public void onEvents(List<LeaseEvent> events) {}
            },
            k);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> w.revision() > 0);
      putRawValue(
          "subnets/" + l.key().toKey(),
          LeaseAttrs.of(Ipv4Address.parse("198.18.4.2"), "host-gw", null).toJson());
      await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() != null);
      assertThat(lost.get()).contains("198.18.4.2");
    } finally {
      w.close();
      k.close();
    }
  }

  private static ConfigListener listener(
      List<Optional<String>> seen, AtomicReference<Throwable> error) {
    return new ConfigListener() {
      @Override
      public void onConfig(Optional<String> raw) {
        seen.add(raw);
      }

      @Override
      public void onError(Throwable e) {
        error.set(e);
      }
    };
  }
}
