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
        "1.2.3.4/-1",
        "10.244.1.0/",
        "10.244.1.0/024",
        "10.244.1.0./24",
        "10..1.0/24",
        "1000.1.1.0/24",
        "10.244.1.0.0/24",
        "10.244.\u0661.0/24",
        "a.b.c.d/24"
      })
  void rejectsMalformed(String s) {
    assertThatThrownBy(() -> Ipv4Net.parse(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(s.substring(0, 4));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "1.2.3", "1.2.3.4.", ".1.2.3", "1.2.3.4 ", "01234.1.1.1", "1.2.3.0x1"})
  void rejectsWhatIsNotADottedQuad(String s) {
    assertThatThrownBy(() -> Ipv4Address.parse(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IPv4 address: \"" + s + "\"");
  }

  @Test
  void parsesPartsOfTextAndKeys() {
    assertThat(Ipv4Address.parse("010.0.0.255")).hasToString("10.0.0.255");
    assertThat(Ipv4Address.parse("x198.18.0.1/24", 1, 11)).hasToString("198.18.0.1");
    assertThat(Ipv4Net.parseKey("10.244.0.0-16")).isEqualTo(Ipv4Net.parse("10.244.0.0/16"));
    assertThat(Ipv4Net.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
    assertThatThrownBy(() -> Ipv4Net.parseKey("10.244.1.0-x"))
        .hasMessage("not a subnet key's prefix length: \"10.244.1.0-x\"");
    assertThatThrownBy(() -> Ipv4Net.parseKey("10.244.1.1-24"))
        .hasMessageStartingWith("invalid CIDR \"10.244.1.1-24\": host bits set");
    assertThatThrownBy(() -> Ipv4Net.parseKey("10.244.1.0"))
        .hasMessageContaining("want 10.244.1.0-24");
  }
}
