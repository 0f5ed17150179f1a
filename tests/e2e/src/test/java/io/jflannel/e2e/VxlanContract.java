package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The vxlan backend across three nodes: flannel.1, neighbour + FDB + onlink route per peer. The
 * cluster is booted by the subclass ({@link VxlanIT}, {@link NftablesVxlanIT}): a static
 * {@code @BeforeAll} here would run before the subclass's and boot a second cluster.
 */
abstract class VxlanContract extends ClusterConnectivityContract {
  @Override
  int expectedMtu() {
    return 1450;
  }

  @Override
  void assertPeerProgrammed(Node on, String peerIp, String base, String vtepMac) {
    String dev = Cmd.in(on.ns(), "ip", "-d", "link", "show", "flannel.1");
    assertThat(dev)
        .contains(
            "vxlan id 1",
            "local " + on.address(),
            "dev eth0",
            "dstport 8472",
            "nolearning",
            "mtu 1450");
    String mac = vtepMac;
    if (mac == null) {
      String lease =
          cluster.etcdctl(
              "get", "/coreos.com/network/subnets/" + base + "-24", "--print-value-only");
      mac = lease.replaceAll("(?s).*\"VtepMAC\":\"([0-9a-f:]+)\".*", "$1").strip();
      Node peer =
          cluster.nodes().stream()
              .filter(n -> n.address().equals(peerIp))
              .findFirst()
              .orElseThrow();
      assertThat(Cmd.in(peer.ns(), "cat", "/sys/class/net/flannel.1/address").strip())
          .as("advertised VtepMAC is the device's")
          .isEqualTo(mac);
    }
    assertThat(Cmd.in(on.ns(), "ip", "neigh", "show", base, "dev", "flannel.1"))
        .contains(base + " lladdr " + mac + " PERMANENT");
    assertThat(Cmd.in(on.ns(), "bridge", "fdb", "show", "dev", "flannel.1"))
        .contains(mac + " dst " + peerIp + " self permanent");
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", base + "/24"))
        .contains(base + "/24 via " + base + " dev flannel.1 proto 121 onlink");
    assertThat(Cmd.in(on.ns(), "ip", "addr", "show", "flannel.1"))
        .containsPattern("inet 10\\.244\\.\\d+\\.0/32");
  }

  /** The underlay address of the node that held {@code base} (node 3 in the leave test). */
  static String gonePeerIp(String base) {
    return subnets.entrySet().stream()
        .filter(e -> e.getValue().startsWith(base.substring(0, base.length() - 1)))
        .findFirst()
        .orElseThrow()
        .getKey()
        .address();
  }

  @Override
  String newNodeLease(String publicIp) {
    return "{\"PublicIP\":\""
        + publicIp
        + "\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"0a:58:0a:f4:f0:00\"}}";
  }

  @Test
  @Order(10)
  void anFdbEntryDeletedByHandComesBack() {
    Node n1 = cluster.nodes().get(0);
    Node n2 = cluster.nodes().get(1);
    String fdb =
        Cmd.in(n1.ns(), "bridge", "fdb", "show", "dev", "flannel.1")
            .lines()
            .filter(l -> l.contains("dst " + n2.address()))
            .findFirst()
            .orElseThrow();
    String mac = fdb.split(" ")[0];
    Cmd.in(n1.ns(), "bridge", "fdb", "del", mac, "dev", "flannel.1", "dst", n2.address(), "self");
    await()
        .atMost(Duration.ofSeconds(1)) // answered from the kernel event: no periodic dump needed
        .untilAsserted(
            () -> {
              assertThat(Cmd.in(n1.ns(), "bridge", "fdb", "show", "dev", "flannel.1"))
                  .contains(mac + " dst " + n2.address() + " self permanent");
              assertThat(java.nio.file.Files.readString(n1.log()))
                  .as("it was deleted, and put back")
                  .contains(
                      "fdb "
                          + mac
                          + " dev flannel.1 dst "
                          + n2.address()
                          + " self permanent vanished or changed: restored");
            });
  }

  @Override
  void assertPeerGone(Node on, String base) {
    assertThat(Cmd.in(on.ns(), "ip", "neigh", "show", base, "dev", "flannel.1")).isBlank();
    assertThat(Cmd.in(on.ns(), "ip", "route", "show", base + "/24")).isBlank();
    assertThat(Cmd.in(on.ns(), "bridge", "fdb", "show", "dev", "flannel.1"))
        .as("no FDB entry left for the peer")
        .doesNotContain("dst " + gonePeerIp(base));
  }
}
