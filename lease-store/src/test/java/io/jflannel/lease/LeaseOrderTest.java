package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaseOrderTest {
  private static final LeaseAttrs ATTRS =
      LeaseAttrs.of(Ipv4Address.parse("198.18.0.1"), "host-gw", null);

  private static Lease lease(String key) {
    SubnetKey k = SubnetKey.parse(key);
    return new Lease(k.ipv4(), ATTRS, 1, null, 1, k.ipv6());
  }

  @Test
  void leasesSortInTheOrderOfTheirKeysWithoutBuildingThem() {
    List<Lease> leases = new ArrayList<>();
    for (String k :
        List.of(
            "10.244.2.0-24",
            "10.244.1.0-24&fc00:0:0:2::-64",
            "10.244.1.0-24",
            "0.0.0.0-0&fc00:0:0:9::-64",
            "0.0.0.0-0&fc00:0:0:1::-64",
            "10.244.10.0-24",
            "10.244.1.0-24&fc00:0:0:1::-64",
            "10.244.0.0-23",
            "10.244.0.0-24")) {
      leases.add(lease(k));
    }
    Collections.shuffle(leases, new Random(7));
    List<Lease> byKey = new ArrayList<>(leases);
    byKey.sort(Lease.BY_KEY);
    List<Lease> byBuiltKeys = new ArrayList<>(leases);
    byBuiltKeys.sort((a, b) -> a.key().compareTo(b.key()));

    assertThat(byKey).isEqualTo(byBuiltKeys);
    assertThat(byKey.stream().map(l -> l.key().toKey()))
        .containsExactly(
            "0.0.0.0-0&fc00:0:0:1::-64",
            "0.0.0.0-0&fc00:0:0:9::-64",
            "10.244.0.0-23",
            "10.244.0.0-24",
            "10.244.1.0-24",
            "10.244.1.0-24&fc00:0:0:1::-64",
            "10.244.1.0-24&fc00:0:0:2::-64",
            "10.244.2.0-24",
            "10.244.10.0-24");
  }
}
