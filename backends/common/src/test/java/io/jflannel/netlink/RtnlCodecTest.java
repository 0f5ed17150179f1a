package io.jflannel.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Encode then decode each object kind without a kernel; the recording double's behaviour. */
class RtnlCodecTest {
  static ByteBuffer encode(java.util.function.Consumer<MessageWriter> body) {
    MessageWriter w = new MessageWriter(64);
    int start = w.begin(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_REQUEST, 1);
    body.accept(w);
    w.end(start);
    return w.flip();
  }

  @Test
  void routeNeighbourFdbAndAddressRoundTrip() {
    Route r = Route.via(Ipv4Net.parse("10.244.3.0/24"), Ipv4Address.parse("10.244.3.0"), 5, true);
    ByteBuffer b = encode(w -> RtnlCodec.route(w, r, false));
    assertThat(b.getInt(0)).isEqualTo(b.limit()).as("nlmsg_len covers the message");
    assertThat(RtnlCodec.route(b, 16, b.limit())).isEqualTo(r);
    Route hole = Route.blackhole(Ipv4Net.parse("10.244.3.0/24"), 1000);
    b = encode(w -> RtnlCodec.route(w, hole, false));
    assertThat(RtnlCodec.route(b, 16, b.limit()))
        .as("a blackhole route reads back as one (cleanup lists it)")
        .isEqualTo(hole);
    assertThat(RtnlMonitor.decode(Rtnl.RTM_NEWROUTE, b, 16, b.limit()))
        .as("the monitor passes unicast routes only")
        .isNull();

    MacAddress mac = MacAddress.parse("aa:bb:cc:dd:ee:ff");
    Neighbour n = Neighbour.permanent(5, Ipv4Address.parse("10.244.3.0"), mac);
    b = encode(w -> RtnlCodec.neighbour(w, n));
    assertThat(RtnlCodec.neighbour(b, 16, b.limit())).isEqualTo(n);

    FdbEntry f = new FdbEntry(5, mac, Ipv4Address.parse("198.18.0.3"));
    b = encode(w -> RtnlCodec.fdb(w, f));
    assertThat(RtnlCodec.fdb(b, 16, b.limit())).isEqualTo(f);

    Address a = new Address(5, Ipv4Address.parse("10.244.1.0"), 32);
    b = encode(w -> RtnlCodec.address(w, a));
    assertThat(RtnlCodec.address(b, 16, b.limit())).isEqualTo(a);
  }

  @Test
  void bufferGrowsForLargeBatches() {
    MessageWriter w = new MessageWriter(16);
    for (int i = 0; i < 1000; i++) {
      int s = w.begin(Rtnl.RTM_NEWROUTE, 0, i);
      RtnlCodec.route(w, Route.dev(Ipv4Net.parse("10.244.1.0/24"), i), false);
      w.end(s);
    }
    ByteBuffer b = w.flip();
    int count = 0;
    for (int p = 0; p < b.limit(); p += (b.getInt(p) + 3) & ~3) {
      assertThat(RtnlCodec.route(b, p + 16, p + b.getInt(p)).ifindex()).isEqualTo(count++);
    }
    assertThat(count).isEqualTo(1000);
  }

  @Test
  void recordingNetlinkKeepsStateLogsAndFailsOnRequest() {
    RecordingNetlink nl = new RecordingNetlink();
    Link eth = nl.addExisting("eth0", 1500, null);
    Route r =
        Route.via(
            Ipv4Net.parse("10.244.3.0/24"), Ipv4Address.parse("198.18.0.3"), eth.index(), false);
    nl.batch().replace(r).execute();
    assertThat(nl.routes(Route.TABLE_MAIN)).containsExactly(r);
    assertThat(nl.log())
        .containsExactly("RTM_NEWROUTE 10.244.3.0/24 via 198.18.0.3 dev #2 proto 121");
    nl.failNextWith(NetlinkException.EEXIST);
    assertThatThrownBy(() -> nl.replace(r))
        .isInstanceOf(NetlinkException.class)
        .hasMessage(
            "RTM_NEWROUTE 10.244.3.0/24 via 198.18.0.3 dev eth0 proto 121: File exists (errno 17)");
    nl.delete(r);
    nl.delete(r);
    assertThat(nl.routes(Route.TABLE_MAIN)).isEmpty();
  }
}
