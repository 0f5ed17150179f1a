package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The vxlan cluster of {@link VxlanIT} in the nftables mode ({@code "EnableNFTables": true}):
 * everything the contract asks, with the rules in flanneld's nftables table and none in iptables;
 * then the mode switched off leaves no table behind.
 */
class NftablesVxlanIT extends VxlanContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"vxlan\"}", ",\"EnableNFTables\":true");
    for (Node n : cluster.nodes()) {
      // an nftables host has no Docker FORWARD DROP: a drop in any base chain of the forward hook
      // drops the packet whatever our own chain accepted (flanneld's nftables mode is the same)
      Cmd.in(n.ns(), "iptables", "-P", "FORWARD", "ACCEPT");
    }
  }

  @Override
  boolean nftables() {
    return true;
  }

  @Test
  @Order(100)
  void switchingTheModeOffLeavesNoTableBehind() {
    cluster.etcdctl(
        "put",
        "/coreos.com/network/config",
        "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
    Node n = cluster.nodes().get(0);
    n.stopAgent(false);
    try {
      n.startAgent();
      n.awaitSubnetEnv(60_000);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Cmd.in(n.ns(), "iptables-save", "-t", "nat"))
                      .contains(
                          "-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG"));
      assertThat(Cmd.in(n.ns(), "nft", "list", "tables")).doesNotContain("flannel-ipv4");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
