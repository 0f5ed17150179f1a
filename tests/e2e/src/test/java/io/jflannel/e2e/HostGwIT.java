package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import org.junit.jupiter.api.BeforeAll;

/** The host-gw backend across three nodes. */
class HostGwIT extends ClusterConnectivityContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"host-gw\"}");
  }

  @Override
  int expectedMtu() {
    return 1500;
  }

  @Override
  void assertPeerProgrammed(Node on, String peerIp, String base, String vtepMac) {
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", base + "/24"))
        .contains(base + "/24 via " + peerIp + " dev eth0 proto 121");
  }

  @Override
  String newNodeLease(String publicIp) {
    return "{\"PublicIP\":\"" + publicIp + "\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}";
  }

  @Override
  void assertPeerGone(Node on, String base) {
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", base + "/24")).isBlank();
  }
}
