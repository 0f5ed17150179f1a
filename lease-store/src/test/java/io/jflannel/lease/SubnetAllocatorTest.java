package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Net;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubnetAllocatorTest {
  final NetworkConfig config = NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\"}");

  @Test
  void picksAmongTheFirstHundredFreeSubnets() {
    Set<Ipv4Net> seen = new HashSet<>();
    Random r = new Random(1);
    for (int i = 0; i < 2000; i++) {
      Ipv4Net s = SubnetAllocator.pick(config, List.of(), r).orElseThrow();
      assertThat(config.fits(s)).isTrue();
      seen.add(s);
    }
    assertThat(seen)
        .hasSize(100)
        .contains(Ipv4Net.parse("10.244.1.0/24"), Ipv4Net.parse("10.244.100.0/24"));
  }

  @Test
  void skipsTakenAndOverlappingSubnetsAndReportsExhaustion() {
    List<Ipv4Net> taken = new ArrayList<>();
    taken.add(Ipv4Net.parse("10.244.0.0/17")); // a lease of another size covers 10.244.0-127
    for (int i = 128; i < 255; i++) {
      taken.add(Ipv4Net.parse("10.244." + i + ".0/24"));
    }
    assertThat(SubnetAllocator.pick(config, taken, new Random(2)))
        .contains(Ipv4Net.parse("10.244.255.0/24"));
    taken.add(Ipv4Net.parse("10.244.255.0/24"));
    assertThat(SubnetAllocator.pick(config, taken, new Random(2))).isEmpty();
  }

  @Test
  void ipv6SkipsOverALargerTakenNetworkAndReportsExhaustion() {
    Ipv6Config v6 =
        NetworkConfig.parse(
                "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/52\"}")
            .ipv6();
    List<Ipv6Net> taken = new ArrayList<>();
    taken.add(Ipv6Net.parse("fc00::/53")); // covers the first 2048 of the 4095 /64s
    taken.add(Ipv6Net.parse("fc00:0:0:800::/64"));
    Set<Ipv6Net> seen = new HashSet<>();
    Random r = new Random(3);
    for (int i = 0; i < 2000; i++) {
      seen.add(SubnetAllocator.pick(v6, taken, r).orElseThrow());
    }
    assertThat(seen)
        .hasSize(100)
        .contains(Ipv6Net.parse("fc00:0:0:801::/64"), Ipv6Net.parse("fc00:0:0:864::/64"));
    taken.add(Ipv6Net.parse("fc00:0:0:800::/53"));
    assertThat(SubnetAllocator.pick(v6, taken, r)).isEmpty();
  }
}
