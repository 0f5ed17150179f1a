package io.jflannel.ctl;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.stree.JrSimpleTreeExtension;
import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.backend.LeaseRules;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseSnapshot;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.IpNet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jflanctl leases}: every lease, sorted by subnet. */
@Command(
    name = "leases",
    mixinStandardHelpOptions = true,
    description = {
      "List the subnet leases, sorted by subnet; with --watch, then stream changes; with"
          + " --history SUBNET, show who held a subnet.",
      "STATUS says REJECTED, and why, for a lease every agent refuses to program (outside the"
          + " network, not of SubnetLen, PublicIP inside the network, another backend, unusable"
          + " backend data, or a conflict: a subnet, address or VtepMAC an older lease holds)."
    })
final class LeasesCommand implements Callable<Integer> {
  @Mixin EtcdFlags etcd;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, wide, json or yaml (default: ${DEFAULT-VALUE})")
  String output;

  @Option(
      names = {"-w", "--watch"},
      description = "after the list, print each lease change as it happens (until Ctrl-C)")
  boolean watch;

  @Option(
      names = "--history",
      paramLabel = "SUBNET",
      description =
          "who held SUBNET (e.g. 10.244.7.0/24, or an IPv6 subnet) and in which etcd revision,"
              + " as far back as etcd compaction allows")
  String history;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!java.util.List.of("table", "wide", "json", "yaml").contains(output)) {
      throw new IllegalArgumentException("-o " + output + ": choose table, wide, json or yaml");
    }
    if (history != null) {
      IpNet subnet = IpNet.parse(history);
      try (LeaseRegistry r = Jflanctl.connect(etcd)) {
        LeaseHistory.print(spec.commandLine().getOut(), subnet, LeaseHistory.replay(r, subnet));
        return ExitCodes.OK;
      }
    }
    try (LeaseRegistry r = Jflanctl.connect(etcd)) {
      LeaseSnapshot snap = r.listLeases();
      PrintWriter out = spec.commandLine().getOut();
      List<Map<String, Object>> rows = new ArrayList<>();
      java.util.Map<Long, Optional<Duration>> ttls = ttls(r, snap);
      Map<SubnetKey, String> verdicts = verdicts(r, snap);
      for (Lease l : snap.leases()) {
        Optional<Duration> ttl = l.isReservation() ? Optional.empty() : ttls.get(l.storeLeaseId());
        Map<String, Object> row =
            Json.fields(
                "subnet",
                l.subnet() == null ? null : l.subnet().toString(),
                "publicIP",
                l.attrs().publicIp().toString(),
                "ipv6Subnet",
                l.ipv6Subnet() == null ? null : l.ipv6Subnet().toString(),
                "publicIPv6",
                l.attrs().publicIpv6(),
                "backend",
                l.attrs().effectiveBackendType(),
                "vtepMAC",
                l.attrs().vtepMac(),
                "expiresInSeconds",
                ttl.map(Duration::toSeconds).orElse(null),
                "reserved",
                l.isReservation(),
                "rejected",
                verdicts == null ? null : verdicts.get(l.key()));
        row.put("lease", Json.parse(l.attrs().toJson()));
        rows.add(row);
      }
      switch (output) {
        case "json" -> out.println(Json.pretty(rows));
        case "yaml" -> out.print(yaml(rows));
        default -> table(out, rows, output.equals("wide"));
      }
      if (watch) {
        try {
          LeaseWatchStream.run(r, snap.revision(), output.equals("json"), out);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
      }
      if (snap.malformed() > 0) {
        spec.commandLine()
            .getErr()
            .println(
                "jflanctl: "
                    + snap.malformed()
                    + " malformed value(s) under "
                    + r.prefix()
                    + "/subnets/ skipped");
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Why every agent refuses each lease: the rules they all apply ({@link LeaseRules}: the
   * cluster-wide checks, the backend's data checks and the conflict rule); null when the network
   * config is missing or invalid.
   */
  private static Map<SubnetKey, String> verdicts(LeaseRegistry r, LeaseSnapshot snap) {
    try {
      Optional<NetworkConfig> c = r.getNetworkConfig().map(NetworkConfigs::parse);
      return c.map(config -> LeaseRules.of(config).verdicts(config, snap.leases())).orElse(null);
    } catch (ConfigException e) {
      return null;
    }
  }

  /** Time left on every store lease, all asked at once. */
  private static java.util.Map<Long, Optional<Duration>> ttls(LeaseRegistry r, LeaseSnapshot snap) {
    return r.timeToLive(
        snap.leases().stream()
            .filter(l -> !l.isReservation())
            .map(Lease::storeLeaseId)
            .collect(java.util.stream.Collectors.toSet()));
  }

  /** The rows as YAML: jackson-jr driving the YAML generator, null values written. */
  private static String yaml(Object rows) throws java.io.IOException {
    return JSON.builder(new YAMLFactory())
        .register(new JrSimpleTreeExtension())
        .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
        .build()
        .asString(rows);
  }

  private static String status(Map<String, Object> r) {
    return r.get("rejected") != null ? "REJECTED: " + r.get("rejected") : "ok";
  }

  /** A cell of both families' fields ({@code v4}, {@code v6} or {@code v4,v6}; null: none). */
  private static String both(Map<String, Object> r, String v4, String v6) {
    return LeaseCells.join(v4 == null ? null : (String) r.get(v4), (String) r.get(v6));
  }

  private static void table(PrintWriter out, List<Map<String, Object>> rows, boolean wide) {
    String fmt =
        wide
            ? "%-18s %-15s %-8s %-17s %-10s %-8s %-8s %s%n"
            : "%-18s %-15s %-8s %-17s %-10s %-8s %s%n";
    List<Object> head =
        new ArrayList<>(
            List.of("SUBNET", "PUBLIC-IP", "BACKEND", "VTEP-MAC", "EXPIRES", "RESERVED", "STATUS"));
    if (wide) {
      head.add("LEASE");
    }
    out.printf(fmt, head.toArray());
    for (Map<String, Object> r : rows) {
      Object mac = r.get("vtepMAC");
      Object expires = r.get("expiresInSeconds");
      List<Object> cols =
          new ArrayList<>(
              List.of(
                  both(r, "subnet", "ipv6Subnet"),
                  both(r, r.get("subnet") == null ? null : "publicIP", "publicIPv6"),
                  r.get("backend"),
                  mac == null ? "-" : mac,
                  expires == null ? "-" : Outputs.relative((Long) expires),
                  Boolean.TRUE.equals(r.get("reserved")) ? "yes" : "no",
                  status(r)));
      if (wide) {
        cols.add(Json.write(r.get("lease")));
      }
      out.printf(fmt, cols.toArray());
    }
  }
}
