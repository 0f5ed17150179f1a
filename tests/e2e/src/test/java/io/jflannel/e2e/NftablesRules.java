package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.Node;
import java.time.Duration;

/** What a node in the nftables mode must hold, read with {@code nft} and {@code iptables-save}. */
final class NftablesRules {
  private NftablesRules() {}

  /** flanneld's table and chains with our rules; no iptables chain of ours. */
  static void assertFlannels(Node n, String pod) {
    String t = Cmd.in(n.ns(), "nft", "list", "table", "ip", "flannel-ipv4");
    assertThat(t)
        .contains(
            "chain postrtg {",
            "type nat hook postrouting priority srcnat; policy accept;",
            "ip saddr " + pod + " ip daddr 10.244.0.0/16 return",
            "ip saddr 10.244.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random",
            "ip saddr != 10.244.0.0/16 ip daddr 10.244.0.0/16 masquerade fully-random",
            "chain forward {",
            "type filter hook forward priority filter; policy accept;",
            "ip saddr 10.244.0.0/16 accept",
            "ip daddr 10.244.0.0/16 accept");
    assertThat(Cmd.in(n.ns(), "iptables-save"))
        .as("no iptables rule of ours")
        .doesNotContain("FLANNEL");
  }

  /** Flushes the nat chain and deletes the forward chain; the agent puts both back. */
  static void removeByHandAndAwaitRestore(Node n) {
    Cmd.in(n.ns(), "nft", "flush", "chain", "ip", "flannel-ipv4", "postrtg");
    Cmd.in(n.ns(), "nft", "delete", "chain", "ip", "flannel-ipv4", "forward");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(Cmd.in(n.ns(), "nft", "list", "table", "ip", "flannel-ipv4"))
                    .as("agent log:%n%s", n.tail())
                    .contains(
                        "masquerade fully-random",
                        "chain forward {",
                        "ip daddr 10.244.0.0/16 accept"));
  }
}
