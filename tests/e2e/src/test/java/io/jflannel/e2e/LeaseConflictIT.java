package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import io.jflannel.testing.Pinger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Rogue leases beside a live node (n3) of a dual-stack vxlan cluster: its IPv6 /64 under another
 * key, its flannel-v6 VtepMAC, its PublicIPv6. n1's container pings n3's over both families at
 * 50/s: nothing is lost, every node rejects the rogue as a conflict with the reason, {@code
 * jflanctl leases} and {@code diff} agree, deleting it changes nothing. Then two real nodes collide
 * on one IPv6 subnet: the older lease keeps it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaseConflictIT {
  static final String K = "/coreos.com/network/subnets/";
  static NetnsCluster cluster;
  static String c1;
  static String ip4;
  static String ip6;

  static Node n(int i) {
    return cluster.nodes().get(i - 1);
  }

  @BeforeAll
  static void boot() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            3,
            jar,
            "{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fc00::/48\","
                + "\"Backend\":{\"Type\":\"vxlan\"}}");
    DualStackContract.addIpv6Underlay(cluster);
    for (Node x : cluster.nodes()) {
      x.startAgent();
    }
    String[] c = new String[4];
    for (int i : new int[] {1, 3}) {
      Node x = n(i);
      String bip = x.awaitSubnet(60_000);
      String bip6 = DualStackContract.env(x, "FLANNEL_IPV6_SUBNET");
      Cmd.in(x.ns(), "ip", "addr", "add", bip6, "dev", "cni0", "nodad");
      String gw6 = bip6.substring(0, bip6.indexOf('/'));
      c[i] = x.addContainer(bip, 10);
      String ns = x.containers().get(0);
      String a6 = gw6.substring(0, gw6.length() - 1) + "a";
      Cmd.in(ns, "ip", "addr", "add", a6 + "/64", "dev", "eth0", "nodad");
      Cmd.in(ns, "ip", "-6", "route", "add", "default", "via", gw6);
      if (i == 1) {
        c1 = ns;
      } else {
        ip4 = c[i];
        ip6 = a6;
      }
    }
    n(2).awaitSubnet(60_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Cmd.runIn(c1, 5, "ping", "-c1", "-W1", ip6).exit() == 0);
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A node's lease key and value in etcd. */
  static String[] leaseOf(Node x) {
    String out = cluster.etcdctl("get", "--prefix", K);
    String[] lines = out.split("\n");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      if (lines[i + 1].contains("\"PublicIP\":\"" + x.address() + "\"")) {
        return new String[] {lines[i].substring(K.length()), lines[i + 1]};
      }
    }
    throw new AssertionError("no lease of " + x.address() + " in\n" + out);
  }

  static String rogue(String publicIpv6, String mac4, String mac6) {
    return "{\"PublicIP\":\"198.18.0.9\",\"PublicIPv6\":\""
        + publicIpv6
        + "\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\""
        + mac4
        + "\"},\"BackendV6Data\":{\"VNI\":1,\"VtepMAC\":\""
        + mac6
        + "\"}}";
  }

  @Test
  @Order(1)
  void roguesOfEitherFamilyAreConflictsEverywhereAndCostNoPacket() throws Exception {
    String key3 = leaseOf(n(3))[0];
    String v6of3 = key3.substring(key3.indexOf('&') + 1);
    String mac6of3 = Cmd.in(n(3).ns(), "cat", "/sys/class/net/flannel-v6.1/address").trim();
    String pub6of3 = DualStackContract.address6(n(3));
    List<String[]> rogues =
        List.of(
            new String[] {
              "10.244.250.0-24&" + v6of3,
              rogue("fd00:198:18::9", "aa:bb:cc:00:00:0a", "aa:bb:cc:00:00:1a"),
              "IPv6 subnet " + v6of3.replace('-', '/')
            },
            new String[] {
              "10.244.251.0-24&fc00:0:0:fb::-64",
              rogue("fd00:198:18::9", "aa:bb:cc:00:00:0b", mac6of3),
              "IPv6 VtepMAC " + mac6of3
            },
            new String[] {
              "10.244.252.0-24&fc00:0:0:fc::-64",
              rogue(pub6of3, "aa:bb:cc:00:00:0c", "aa:bb:cc:00:00:1c"),
              "PublicIPv6 " + pub6of3
            });
    Pinger p4 = Pinger.start(c1, ip4);
    Pinger p6 = Pinger.start(c1, ip6);
    try {
      Thread.sleep(300);
      for (String[] r : rogues) {
        cluster.etcdctl("put", K + r[0], r[1]);
        String reason = "conflict: " + r[2] + " is held by the older lease " + key3;
        for (Node on : cluster.nodes()) {
          String expect =
              on == n(3) ? "conflict: " + r[2] + " is this node's (its lease is older)" : reason;
          await()
              .atMost(Duration.ofSeconds(10))
              .untilAsserted(() -> assertThat(on.jflanctl("peers").out()).contains(expect));
        }
        assertThat(cluster.jflanctl("leases")).contains("REJECTED: " + reason);
        Thread.sleep(1500); // reconciles run: nothing flips back and forth
        for (Node on : cluster.nodes()) {
          assertThat(on.jflanctl("diff").exit()).as(on.jflanctl("diff").out()).isZero();
          assertThat(Cmd.in(on.ns(), "ip", "-6", "route")).doesNotContain("fd00:198:18::9");
        }
        cluster.etcdctl("del", K + r[0]);
        for (Node on : cluster.nodes()) {
          await()
              .atMost(Duration.ofSeconds(10))
              .untilAsserted(
                  () -> assertThat(on.jflanctl("status").out()).doesNotContain("conflicting"));
          assertThat(on.jflanctl("diff").exit()).as("deleting it changes nothing").isZero();
        }
      }
      Thread.sleep(1000);
      assertThat(p4.stop().lost()).as("IPv4 pings to n3's container").isZero();
      assertThat(p6.stop().lost()).as("IPv6 pings to n3's container").isZero();
    } finally {
      p4.close();
      p6.close();
      for (String[] r : rogues) {
        cluster.etcdctl("del", K + r[0]);
      }
    }
  }

  /**
   * n2's lease rewritten under a key that shares n1's IPv6 subnet (what the allocation race of an
   * earlier release left behind), younger than n1's: n2 restarted gives it up and takes another
   * IPv6 subnet; n1 keeps its lease and pods on all nodes reach each other again.
   */
  @Test
  @Order(2)
  void whenTwoRealNodesCollideTheOlderLeaseKeepsTheSubnet() throws Exception {
    String[] l1 = leaseOf(n(1));
    String[] l2 = leaseOf(n(2));
    String v6of1 = l1[0].substring(l1[0].indexOf('&') + 1);
    String dup = l2[0].substring(0, l2[0].indexOf('&') + 1) + v6of1;
    n(2).stopAgent(false);
    cluster.etcdctl("del", K + l2[0]);
    cluster.etcdctl("put", K + dup, l2[1]); // younger than n1's lease
    for (Node on : List.of(n(1), n(3))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(on.jflanctl("peers").out())
                      .contains("conflict: IPv6 subnet " + v6of1.replace('-', '/')));
    }
    n(2).startAgent();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String[] now = leaseOf(n(2));
              assertThat(now[0]).doesNotContain(v6of1);
            });
    assertThat(leaseOf(n(1))[0]).isEqualTo(l1[0]);
    assertThat(n(2).tail()).contains("is also in the older lease " + l1[0]);
    for (Node on : cluster.nodes()) {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                assertThat(on.jflanctl("status").out()).doesNotContain("conflicting");
                assertThat(on.jflanctl("diff").exit()).isZero();
              });
    }
    assertThat(Cmd.runIn(c1, 10, "ping", "-c2", "-W1", ip6).exit()).isZero();
  }
}
