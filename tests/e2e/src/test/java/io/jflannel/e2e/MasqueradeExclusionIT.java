package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --ip-masq-exclude}: on a dual-stack node with {@code --ip-masq}, pod traffic to an
 * excluded destination leaves with the pod's address (the outside host routes the pod network back
 * to the node), traffic to any other outside address is masqueraded as before; in the iptables and
 * the nftables mode, and the exclusion comes back when deleted by hand.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MasqueradeExclusionIT {
  static final String EXCLUDED = NetnsCluster.EXTERNAL; // 198.18.0.200
  static final String OTHER = "198.18.0.201"; // the same host, not excluded
  static final String EXCLUDED6 = DualStackContract.EXTERNAL6; // fd00:198:18::200
  static final String OTHER6 = DualStackContract.UNDERLAY6 + "201";

  @Test
  void iptablesMode() throws Exception {
    run(false);
  }

  @Test
  void nftablesMode() throws Exception {
    run(true);
  }

  private void run(boolean nft) throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (NetnsCluster cluster =
        new NetnsCluster(
            1,
            jar,
            "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
                + "\"Backend\":{\"Type\":\"vxlan\"}"
                + (nft ? ",\"EnableNFTables\":true" : "")
                + "}")) {
      DualStackContract.addIpv6Underlay(cluster);
      String ext = cluster.externalNamespace();
      Cmd.in(ext, "ip", "addr", "add", OTHER + "/24", "dev", "eth0");
      Cmd.in(ext, "ip", "addr", "add", OTHER6 + "/64", "dev", "eth0", "nodad");
      Node n = cluster.nodes().get(0);
      if (nft) { // see DualStackContract: no FORWARD DROP on an nftables host
        Cmd.in(n.ns(), "iptables", "-P", "FORWARD", "ACCEPT");
      } else {
        Cmd.in(n.ns(), "ip6tables", "-P", "FORWARD", "DROP");
      }
      n.startAgent("--ip-masq-exclude", EXCLUDED + "/32," + EXCLUDED6 + "/128");
      String bip = n.awaitSubnet(60_000);
      String pod = n.addContainer(bip, 10);
      String c = n.containers().get(0);
      String bip6 = DualStackContract.env(n, "FLANNEL_IPV6_SUBNET");
      Cmd.in(n.ns(), "ip", "addr", "add", bip6, "dev", "cni0", "nodad");
      String gw6 = bip6.substring(0, bip6.indexOf('/'));
      String pod6 = gw6.substring(0, gw6.length() - 1) + "a";
      Cmd.in(c, "ip", "addr", "add", pod6 + "/64", "dev", "eth0", "nodad");
      Cmd.in(c, "ip", "-6", "route", "add", "default", "via", gw6);
      // the outside host routes the pod networks back to the node: an unmasqueraded reply returns
      Cmd.in(ext, "ip", "route", "add", "10.244.0.0/16", "via", n.address());
      Cmd.in(ext, "ip", "-6", "route", "add", "fc00::/48", "via", DualStackContract.address6(n));

      assertSources(ext, c, pod, pod6, n);
      // the exclusions deleted by hand come back with the next resync
      if (nft) {
        Cmd.in(n.ns(), "nft", "flush", "chain", "ip", "flannel-ipv4", "postrtg");
        Cmd.in(n.ns(), "nft", "flush", "chain", "ip6", "flannel-ipv6", "postrtg");
      } else {
        Cmd.in(
            n.ns(),
            "iptables",
            "-t",
            "nat",
            "-D",
            "FLANNEL-POSTRTG",
            "-s",
            "10.244.0.0/16",
            "-d",
            EXCLUDED + "/32",
            "-m",
            "comment",
            "--comment",
            "flanneld masq",
            "-j",
            "RETURN");
        Cmd.in(
            n.ns(),
            "ip6tables",
            "-t",
            "nat",
            "-D",
            "FLANNEL-POSTRTG",
            "-s",
            "fc00::/48",
            "-d",
            EXCLUDED6 + "/128",
            "-m",
            "comment",
            "--comment",
            "flanneld masq",
            "-j",
            "RETURN");
        assertThat(Cmd.in(n.ns(), "iptables-save", "-t", "nat")).doesNotContain(EXCLUDED + "/32");
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                String rules =
                    nft
                        ? Cmd.in(n.ns(), "nft", "list", "ruleset")
                        : Cmd.in(n.ns(), "iptables-save", "-t", "nat")
                            + Cmd.in(n.ns(), "ip6tables-save", "-t", "nat");
                assertThat(rules).contains(EXCLUDED, EXCLUDED6);
              });
      assertSources(ext, c, pod, pod6, n);
    }
  }

  /** The excluded destination sees the pod's address, the other one the node's; both families. */
  private static void assertSources(String ext, String c, String pod, String pod6, Node n)
      throws Exception {
    assertThat(source(ext, c, EXCLUDED)).as("excluded: the pod's address").isEqualTo(pod);
    assertThat(source(ext, c, OTHER)).as("not excluded: masqueraded").isEqualTo(n.address());
    assertThat(source(ext, c, EXCLUDED6)).as("excluded (IPv6)").isEqualTo(pod6);
    assertThat(source(ext, c, OTHER6))
        .as("not excluded (IPv6): masqueraded")
        .isEqualTo(DualStackContract.address6(n));
  }

  /** The source address the outside host saw for a TCP transfer from {@code client}. */
  private static String source(String extNs, String client, String to) throws Exception {
    String json = ClusterConnectivityContract.iperf(extNs, client, to);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"remote_host\":\\s*\"([^\"]+)\"").matcher(json);
    assertThat(m.find()).as("iperf3 server output: %s", json).isTrue();
    return m.group(1);
  }
}
