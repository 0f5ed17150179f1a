package io.jflannel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4NetTest {
  @Test
  void parsesFormatsAndNavigates() {
    Ipv4Net n = Ipv4Net.parse("10.244.1.0/24");
    assertThat(n.toKey()).isEqualTo("10.244.1.0-24");
    assertThat(Ipv4Net.parseKey("10.244.1.0-24")).isEqualTo(n);
    assertThat(n.next()).isEqualTo(Ipv4Net.parse("10.244.2.0/24"));
    assertThat(n.addressAt(1)).isEqualTo(Ipv4Address.parse("10.244.1.1"));
    assertThat(n.lastAddress()).hasToString("10.244.1.255");
    assertThat(Ipv4Net.parse("10.244.0.0/16").contains(n)).isTrue();
    assertThat(n.overlaps(Ipv4Net.parse("10.244.0.0/16"))).isTrue();
    assertThat(n.overlaps(Ipv4Net.parse("10.244.2.0/24"))).isFalse();
    assertThat(Ipv4Address.parse("255.255.255.255").compareTo(Ipv4Address.parse("1.0.0.0")))
        .isPositive();
    assertThat(MacAddress.parse("C6:D2:32:6F:8F:44")).hasToString("c6:d2:32:6f:8f:44");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.244.1.0",
        "10.244.1.1/24",
        "10.244.1.0/33",
        "10.244.1/24",
        "10.244.1.0/x",
        "256.0.0.0/8",
        "1.2.3.4/-1"
      })
  void rejectsMalformed(String s) {
    assertThatThrownBy(() -> Ipv4Net.parse(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(s.substring(0, 4));
  }
}
