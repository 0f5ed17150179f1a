package io.jflannel.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerObjectsTest {
  private static final MacAddress MAC = MacAddress.parse("c6:d2:32:6f:8f:44");
  private static final Route V4 =
      Route.via(Ipv4Net.parse("10.244.1.0/24"), Ipv4Address.parse("198.18.0.2"), 3, false);
  private static final Route V6 =
      Route.via(Ipv6Net.parse("fc00:0:0:1::/64"), Ipv6Address.parse("fd00::2"), 3, false);
  private static final Neighbour NEIGH =
      Neighbour.permanent(4, Ipv4Address.parse("10.244.1.0"), MAC);
  private static final FdbEntry FDB = new FdbEntry(4, MAC, Ipv4Address.parse("198.18.0.2"));

  @Test
  void objectsComeInProgrammingOrderWhateverTheShape() {
    PeerObjects vxlan =
        new PeerObjects(List.of(NEIGH), List.of(FDB), List.of(V4)).plus(PeerObjects.route(V6));
    assertThat(vxlan.all()).containsExactly(NEIGH, FDB, V4, V6);
    assertThat(vxlan.size()).isEqualTo(4);

    PeerObjects hostGw = PeerObjects.route(V4).plus(PeerObjects.NONE);
    assertThat(hostGw.all()).containsExactly(V4);
    assertThat(PeerObjects.NONE.plus(PeerObjects.route(V6)).all()).containsExactly(V6);
    assertThat(PeerObjects.route(V4).plus(PeerObjects.route(V6)).all()).containsExactly(V4, V6);
    assertThat(new PeerObjects(List.of(NEIGH), List.of(), List.of()).all()).containsExactly(NEIGH);
    assertThat(new PeerObjects(List.of(NEIGH), List.of(), List.of(V4)).all())
        .containsExactly(NEIGH, V4);
    assertThat(PeerObjects.NONE.all()).isEmpty();
  }

  @Test
  void theListOfOneKindIsHandedOutReadOnly() {
    assertThatThrownBy(() -> PeerObjects.route(V4).all().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
