package io.jflannel.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.backend.ExternalInterface;
import io.jflannel.net.IpAddress;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.RecordingNetlink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interface's IPv6 side, picked as flanneld picks it. */
class InterfacePickerTest {
  final RecordingNetlink nl = new RecordingNetlink();
  final Link eth0 = nl.addExisting("eth0", 1500, MacAddress.parse("02:00:00:00:00:01"));

  InterfacePickerTest() {
    nl.replace(new Address(eth0.index(), IpAddress.parse("fe80::1"), 64));
    nl.replace(new Address(eth0.index(), IpAddress.parse("198.18.0.11"), 24));
    nl.replace(new Address(eth0.index(), IpAddress.parse("fd00:198:18::11"), 64));
    nl.replace(new Address(eth0.index(), IpAddress.parse("fd00:198:18::99"), 64));
  }

  @Test
  void ipv6SideIsTheFirstGlobalAddressNeverTheLinkLocalOne() {
    ExternalInterface e = InterfacePicker.pick(nl, List.of("eth0"), List.of(), null, null, null);
    assertThat(e.address()).hasToString("198.18.0.11");
    assertThat(e.address6()).isEqualTo(Ipv6Address.parse("fd00:198:18::11"));
    assertThat(e.publicIpv6()).isEqualTo(e.address6());
    assertThat(e.network6()).hasToString("fd00:198:18::/64");
  }

  @Test
  void ifaceNamedByItsIpv6AddressGivesThatAddressAndTheLinksIpv4One() {
    ExternalInterface e =
        InterfacePicker.pick(nl, List.of("fd00:198:18::99"), List.of(), null, null, null);
    assertThat(e.link().name()).isEqualTo("eth0");
    assertThat(e.address()).hasToString("198.18.0.11");
    assertThat(e.address6()).isEqualTo(Ipv6Address.parse("fd00:198:18::99"));
  }

  @Test
  void publicIpv6OverridesWhatIsAdvertisedOnly() {
    ExternalInterface e =
        InterfacePicker.pick(nl, List.of("eth0"), List.of(), null, null, "fd00::7");
    assertThat(e.address6()).isEqualTo(Ipv6Address.parse("fd00:198:18::11"));
    assertThat(e.publicIpv6()).isEqualTo(Ipv6Address.parse("fd00::7"));
  }

  @Test
  void anIpv6OnlyInterfaceIsPickedWithoutAnIpv4SideAndAdvertises0000() {
    Link eth1 = nl.addExisting("eth1", 1500, MacAddress.parse("02:00:00:00:00:02"));
    nl.replace(new Address(eth1.index(), IpAddress.parse("fd00:1::5"), 64));
    ExternalInterface e =
        InterfacePicker.pick(nl, List.of(), List.of("eth[1-9]"), null, null, null);
    assertThat(e.link().name()).isEqualTo("eth1");
    assertThat(e.address()).isNull();
    assertThat(e.publicIp()).hasToString("0.0.0.0");
    assertThat(e.address6()).isEqualTo(Ipv6Address.parse("fd00:1::5"));
    org.assertj.core.api.Assertions.assertThatThrownBy(e::requireIpv4)
        .hasMessage(
            "interface eth1 has no IPv4 address (the network enables IPv4; an IPv6-only network"
                + " sets \"EnableIPv4\": false)");
  }

  @Test
  void anInterfaceWithNoAddressOfEitherFamilyIsRefused() {
    nl.addExisting("eth2", 1500, MacAddress.parse("02:00:00:00:00:03"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> InterfacePicker.pick(nl, List.of("eth2"), List.of(), null, null, null))
        .hasMessage("interface eth2 has neither an IPv4 nor a global IPv6 address");
  }
}
