package io.jflannel.lease.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every endpoint form etcdctl and flanneld take, and one clear line for each bad one. */
class EtcdEndpointTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://etcd.example:2379|http://etcd.example:2379|etcd.example:2379",
        "https://etcd-0.etcd.svc:2380|https://etcd-0.etcd.svc:2380|etcd-0.etcd.svc:2380",
        "http://198.18.0.250:2379|http://198.18.0.250:2379|198.18.0.250:2379",
        "http://[fd00:198::250]:2379|http://[fd00:198::250]:2379|%5Bfd00:198::250%5D:2379",
        "https://[::1]:12379/|https://[::1]:12379|%5B::1%5D:12379",
        "HTTP://localhost|http://localhost:2379|localhost:2379",
        " http://[fd00::1] |http://[fd00::1]:2379|%5Bfd00::1%5D:2379"
      })
  void everyFormIsTaken(String in, String normal, String target) {
    EtcdEndpoint e = EtcdEndpoint.parse(in);
    assertThat(e.toString()).isEqualTo(normal);
    assertThat(EtcdEndpoint.target(List.of(e))).isEqualTo("ip:///" + target);
  }

  @Test
  void severalCommaSeparatedInOneOrManyFlagsDuplicatesOnce() {
    List<EtcdEndpoint> all =
        EtcdEndpoint.parseAll(
            List.of(
                "http://[fd00::1]:2379,http://198.18.0.2:2379",
                "http://e3:2379,http://[fd00::1]:2379"));
    assertThat(all)
        .extracting(EtcdEndpoint::toString)
        .containsExactly("http://[fd00::1]:2379", "http://198.18.0.2:2379", "http://e3:2379");
    assertThat(EtcdEndpoint.target(all))
        .isEqualTo("ip:///%5Bfd00::1%5D:2379,198.18.0.2:2379,e3:2379");
    assertThat(
            EtcdOptions.builder()
                .endpoints(List.of("http://[fd00::1]:2379,http://e2"))
                .build()
                .endpoints())
        .containsExactly("http://[fd00::1]:2379", "http://e2:2379");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fd00::1:2379|must start with http:// or https://",
        "198.18.0.250:2379|must start with http:// or https://",
        "ftp://etcd:2379|must start with http:// or https://",
        "http://fd00::1:2379|an IPv6 address goes in brackets: http://[fd00::1:2379]",
        "http://|not a URL",
        "http://etcd:99999|port 99999 is out of range",
        "http://etcd:2379/v3/kv|has a path or query",
        "http://user:pw@etcd:2379|user info in the URL",
        "http://[fd00::1:2379|not a URL"
      })
  void aBadEndpointIsOneLineNamingIt(String in, String why) {
    assertThatThrownBy(() -> EtcdEndpoint.parse(in))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("etcd endpoint \"" + in + "\": ")
        .hasMessageContaining(why)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void mixingSchemesOrGivingNoneIsRefused() {
    assertThatThrownBy(() -> EtcdEndpoint.parseAll(List.of("http://a:2379,https://b:2379")))
        .hasMessageContaining("mix http:// and https://");
    assertThatThrownBy(() -> EtcdEndpoint.parseAll(List.of(" , ")))
        .hasMessage("no etcd endpoints given");
  }
}
