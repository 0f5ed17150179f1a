package io.jflannel.ctl;

import io.jflannel.agent.firewall.Firewalls;
import io.jflannel.agent.host.CniConfig;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.netlink.Sysctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host preflight of {@code jflanctl doctor}: what breaks pods silently when it is wrong —
 * forwarding, bridged traffic through iptables, TUN for udp, one iptables back end, a forward chain
 * that drops, the CNI config kubelet takes, the underlay's MTU. {@code config} is the network's
 * (null when unknown: the checks that need it are left out).
 */
final class HostChecks {
  private HostChecks() {}

  static List<DoctorCheck> run(
      NetworkConfig config, ExternalInterface ext, Path cniDir, String cniName) {
    List<DoctorCheck> out = new ArrayList<>();
    out.add(forwarding(config));
    if (config == null || !config.nftables()) {
      out.add(brNetfilter());
    }
    if (config != null && needsTun(config)) {
      out.add(tun());
    }
    out.add(iptablesMix());
    if (config != null && config.nftables()) {
      String drop = Firewalls.forwardDrop(false);
      out.add(
          drop == null
              ? DoctorCheck.ok("forward", "no other forward chain drops pod traffic")
              : DoctorCheck.fail(
                  "forward", drop, "accept the cluster network there", "forward-drop"));
    }
    if (cniDir != null) {
      out.add(cni(cniDir, cniName));
    }
    if (ext != null && config != null) {
      out.add(mtu(ext, config));
    }
    return out;
  }

  /** True when the config's backend makes a TUN device (it needs /dev/net/tun). */
  private static boolean needsTun(NetworkConfig config) {
    return BackendFactory.find(config.backend().type())
        .map(f -> f.devices(config).stream().anyMatch(d -> f.madeDevice(d, "tun")))
        .orElse(false);
  }

  private static DoctorCheck forwarding(NetworkConfig config) {
    String v4 = sysctl("net/ipv4/ip_forward");
    if (!"1".equals(v4)) {
      return DoctorCheck.fail(
          "ip_forward",
          "net.ipv4.ip_forward is " + v4 + ": the node forwards no pod traffic",
          "sysctl -w net.ipv4.ip_forward=1, or run the agent with --set-ip-forward",
          "ip-forward");
    }
    if (config != null
        && config.dualStack()
        && !"1".equals(sysctl("net/ipv6/conf/all/forwarding"))) {
      return DoctorCheck.fail(
          "ip_forward",
          "net.ipv6.conf.all.forwarding is 0: the node forwards no pod IPv6 traffic",
          "sysctl -w net.ipv6.conf.all.forwarding=1 (accept_ra=2 where routes come from RAs)",
          "ip-forward");
    }
    return DoctorCheck.ok("ip_forward", "on");
  }

  private static DoctorCheck brNetfilter() {
    String v = sysctl("net/bridge/bridge-nf-call-iptables");
    if (v.isEmpty()) {
      return DoctorCheck.fail(
          "br_netfilter",
          "the br_netfilter module is not loaded: traffic between pods on a bridge skips iptables",
          "modprobe br_netfilter; sysctl -w net.bridge.bridge-nf-call-iptables=1",
          "br-netfilter");
    }
    if (!"1".equals(v)) {
      return DoctorCheck.fail(
          "br_netfilter",
          "net.bridge.bridge-nf-call-iptables is " + v + ": bridged pod traffic skips iptables",
          "sysctl -w net.bridge.bridge-nf-call-iptables=1",
          "br-netfilter");
    }
    return DoctorCheck.ok("br_netfilter", "bridged traffic goes through iptables");
  }

  private static DoctorCheck tun() {
    return Files.exists(Path.of("/dev/net/tun"))
        ? DoctorCheck.ok("tun", "/dev/net/tun is there (udp backend)")
        : DoctorCheck.fail(
            "tun",
            "/dev/net/tun is missing: the udp backend cannot open its device",
            "modprobe tun (in a container: mount /dev/net)",
            "tun-missing");
  }

  private static DoctorCheck iptablesMix() {
    Map<String, Integer> n = Firewalls.ruleCounts();
    int legacy = n.get("legacy");
    int nft = n.get("nft");
    if (legacy > 0 && nft > 0) {
      return DoctorCheck.fail(
          "iptables",
          "rules in both iptables-legacy ("
              + legacy
              + ") and iptables-nft ("
              + nft
              + "): the"
              + " kernel runs both sets",
          "make every tool use one back end and flush the other",
          "iptables-mix");
    }
    return DoctorCheck.ok(
        "iptables", legacy > 0 ? "iptables-legacy only" : nft >= 0 ? "iptables-nft only" : "none");
  }

  private static DoctorCheck cni(Path dir, String ours) {
    List<String> configs;
    try {
      configs = CniConfig.kubeletOrder(dir);
    } catch (IOException e) {
      return DoctorCheck.warn(
          "cni", "no CNI config directory " + dir, "--cni-conf-dir where kubelet looks", "");
    }
    if (configs.isEmpty()) {
      return DoctorCheck.warn("cni", "no CNI config in " + dir, "", "foreign-cni-config");
    }
    Path first = dir.resolve(configs.get(0));
    if (!CniConfig.writtenByUs(first)) {
      return DoctorCheck.fail(
          "cni",
          first + " is the config kubelet uses (the first by name), and jflanneld did not write it",
          "remove it, or name ours to sort first (--cni-conf-name 00-" + ours + ")",
          "foreign-cni-config");
    }
    return DoctorCheck.ok("cni", first + " (jflanneld's) is the one kubelet uses");
  }

  private static DoctorCheck mtu(ExternalInterface ext, NetworkConfig config) {
    int overhead =
        BackendFactory.find(config.backend().type()).map(f -> f.overhead(config)).orElse(0);
    int pods = ext.link().mtu() - overhead;
    int min = config.dualStack() || !config.ipv4() ? 1280 : 576;
    String says =
        ext.link().name()
            + "'s MTU "
            + ext.link().mtu()
            + " leaves the pods "
            + pods
            + " ("
            + config.backend().type()
            + " adds "
            + overhead
            + ")";
    if (pods < min) {
      return DoctorCheck.fail("mtu", says + ", below " + min, "raise the underlay MTU", "mtu");
    }
    if (pods < 1400) {
      return DoctorCheck.warn("mtu", says, "a larger underlay MTU avoids fragmenting", "mtu");
    }
    return DoctorCheck.ok("mtu", says);
  }

  /** A sysctl's value, or "" when it does not exist (its module is not loaded). */
  private static String sysctl(String key) {
    try {
      return Sysctl.get(key);
    } catch (java.io.UncheckedIOException e) {
      return "";
    }
  }
}
