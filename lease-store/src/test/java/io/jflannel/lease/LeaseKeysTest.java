package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseKeysTest {
  @Test
  void aHugeKeyIsLoggedAsItsStartAndItsLength() {
    String key = "/coreos.com/network/subnets/" + "x".repeat(100_000);
    assertThat(LeaseKeys.forLog("/coreos.com/network/subnets/10.244.1.0-24"))
        .isEqualTo("/coreos.com/network/subnets/10.244.1.0-24");
    String shown = LeaseKeys.forLog(key);
    assertThat(shown).hasSizeLessThan(170).endsWith("... (100028 characters)");
  }

  @Test
  void theRegistryReportsAHugeMalformedKeyShortened() {
    List<String> seen = new ArrayList<>();
    try (var r = new io.jflannel.lease.memory.InMemoryLeaseRegistry("/p")) {
      r.setObserver(
          new RegistryObserver() {
            @Override
            public void malformedLease(String key, String reason) {
              seen.add(key + " | " + reason);
            }
          });
      r.putRaw("subnets/" + "9".repeat(100_000), "{}");
      r.listLeases();
    }
    assertThat(seen).isNotEmpty().allMatch(s -> s.length() < 400);
  }
}
