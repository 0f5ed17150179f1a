package io.jflannel.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the etcd member's namespace: {@code count} lease puts, one etcd request each, back to
 * back (each awaited before the next, as separate nodes booting produce them), printing for each
 * the subnet and the wall-clock time it was sent, in microseconds.
 *
 * <p>Arguments: endpoint, key prefix, backend (vxlan|host-gw), count, first index.
 */
public final class BurstPutter {
  private BurstPutter() {}

  /** Peers at most: /29 subnets of 10.244.0.0/16 below the node's own range (10.244.255.0/24). */
  static final int MAX = 255 * 32;

  /** The subnet of lease {@code i}: the i-th /29 of 10.244.0.0/16, outside the node's range. */
  static String subnet(int i) {
    if (i < 0 || i >= MAX) {
      throw new IllegalArgumentException("peer index out of range [0, " + MAX + "): " + i);
    }
    return "10.244." + (i / 32) + "." + (i % 32 * 8);
  }

  /**
   * The PublicIP of peer {@code i}: one of its own (no two live leases may share one), from
   * 198.18.1.1 on, on-link through the route {@link #onLink} adds to the node.
   */
  static String publicIp(int i) {
    return "198.18." + (1 + i / 250) + "." + (1 + i % 250);
  }

  /** Makes every peer's PublicIP on-link on {@code n}'s underlay (host-gw routes need that). */
  static void onLink(io.jflannel.testing.Node n) {
    io.jflannel.testing.Cmd.in(n.ns(), "ip", "route", "add", "198.18.0.0/16", "dev", "eth0");
  }

  /** Lease JSON for peer {@code i}: a PublicIP on the underlay, a unique VTEP MAC. */
  static String lease(String backend, int i, int round) {
    String ip = publicIp(i);
    return "vxlan".equals(backend)
        ? String.format(
            "{\"PublicIP\":\"%s\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"0a:58:%02x:%02x:%02x:01\"}}",
            ip, round, i >> 8, i & 0xff)
        : "{\"PublicIP\":\"" + ip + "\",\"PublicIPv6\":null,\"BackendType\":\"host-gw\"}";
  }

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String prefix = args[1];
    String backend = args[2];
    int count = Integer.parseInt(args[3]);
    int round = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    System.setProperty("vertx.disableFileCPResolving", "true"); // no /tmp/vertx-cache-* left
    try (Client client = Client.builder().endpoints(endpoint).build()) {
      KV kv = client.getKVClient();
      kv.get(bytes(prefix + "/config")).get(10, TimeUnit.SECONDS); // connected before timing
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < count; i++) {
        String key = prefix + "/subnets/" + subnet(i) + "-29";
        Instant sent = Instant.now();
        kv.put(bytes(key), bytes(lease(backend, i, round))).get(10, TimeUnit.SECONDS);
        out.append(subnet(i))
            .append(' ')
            .append(sent.getEpochSecond() * 1_000_000L + sent.getNano() / 1000)
            .append('\n');
      }
      System.out.print(out);
    }
    System.exit(0);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
