package io.jflannel.lease.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseRegistryContract;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** The registry contract against a real etcd. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdLeaseRegistryIT extends LeaseRegistryContract {
  private static EtcdFixture etcd;
  private static Client raw;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdFixture.single();
    raw = etcd.client();
  }

  @AfterAll
  static void stopEtcd() {
    if (raw != null) {
      raw.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected LeaseRegistry newRegistry(String prefix) {
    return EtcdLeaseRegistry.connect(
        EtcdOptions.builder().endpoints(etcd.endpoints()).prefix(prefix).build());
  }

  @Override
  protected void putRaw(String relativeKey, String value) {
    try {
      raw.getKVClient()
          .put(EtcdLeaseRegistry.bytes(prefix + "/" + relativeKey), EtcdLeaseRegistry.bytes(value))
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String getRaw(String relativeKey) {
    try {
      return raw
          .getKVClient()
          .get(EtcdLeaseRegistry.bytes(prefix + "/" + relativeKey))
          .get(5, TimeUnit.SECONDS)
          .getKvs()
          .stream()
          .findFirst()
          .map(KeyValue::getValue)
          .map(v -> v.toString(StandardCharsets.UTF_8))
          .orElse(null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void compact(long revision) {
    try {
      raw.getKVClient().compact(revision).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** etcd by its IPv6 loopback address, in brackets, as an IPv6-only node names it. */
  @org.junit.jupiter.api.Test
  void anIpv6EndpointInBracketsReachesEtcd() {
    String v6 = etcd.ipv6Endpoint(0);
    try (EtcdLeaseRegistry r =
        EtcdLeaseRegistry.connect(
            EtcdOptions.builder().endpoints(java.util.List.of(v6)).prefix("/v6").build())) {
      r.putNetworkConfig("{\"Network\":\"10.244.0.0/16\"}");
      org.assertj.core.api.Assertions.assertThat(r.getNetworkConfig())
          .contains("{\"Network\":\"10.244.0.0/16\"}");
      org.assertj.core.api.Assertions.assertThat(r.reachable(java.time.Duration.ofSeconds(1)))
          .isTrue();
    }
  }
}
