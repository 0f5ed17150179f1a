package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import org.junit.jupiter.api.BeforeAll;

/** The vxlan backend across three nodes: flannel.1, neighbour + FDB + onlink route per peer. */
class VxlanIT extends ClusterConnectivityContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"vxlan\"}");
  }

  @Override
  int expectedMtu() {
    return 1450;
  }

  @Override
  void assertPeerProgrammed(Node on, Node peer, String base) {
    String dev = Cmd.in(on.ns(), "ip", "-d", "link", "show", "flannel.1");
    assertThat(dev)
        .contains(
            "vxlan id 1",
            "local " + on.address(),
            "dev eth0",
            "dstport 8472",
            "nolearning",
            "mtu 1450");
    String mac = Cmd.in(peer.ns(), "cat", "/sys/class/net/flannel.1/address").strip();
    assertThat(Cmd.in(on.ns(), "ip", "neigh", "show", base, "dev", "flannel.1"))
        .contains(base + " lladdr " + mac + " PERMANENT");
    assertThat(Cmd.in(on.ns(), "bridge", "fdb", "show", "dev", "flannel.1"))
        .contains(mac + " dst " + peer.address() + " self permanent");
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", base + "/24"))
        .contains(base + "/24 via " + base + " dev flannel.1 proto 121 onlink");
    assertThat(Cmd.in(on.ns(), "ip", "addr", "show", "flannel.1"))
        .containsPattern("inet 10\\.244\\.\\d+\\.0/32");
  }

  @Override
  void assertPeerGone(Node on, String base) {
    assertThat(Cmd.in(on.ns(), "ip", "neigh", "show", base, "dev", "flannel.1")).isBlank();
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", base + "/24")).isBlank();
  }
}
