package io.jflannel.ctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jflannel.agent.EtcdFlags;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseSnapshot;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SharedJson;
import io.jflannel.net.IpNet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
          + " network, not of SubnetLen, PublicIP inside the network, another backend)."
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
      ArrayNode rows = SharedJson.MAPPER.createArrayNode();
      java.util.Map<Long, Optional<Duration>> ttls = ttls(r, snap);
      LeaseValidator rules = validator(r);
      java.util.Map<String, List<String>> byIp = new java.util.HashMap<>();
      snap.leases()
          .forEach(
              l ->
                  byIp.computeIfAbsent(l.attrs().nodeAddress(), k -> new ArrayList<>())
                      .add(LeaseCells.subnets(l)));
      for (Lease l : snap.leases()) {
        ObjectNode row = rows.addObject();
        row.put("subnet", l.subnet() == null ? null : l.subnet().toString());
        row.put("publicIP", l.attrs().publicIp().toString());
        if (l.ipv6Subnet() == null) {
          row.putNull("ipv6Subnet");
        } else {
          row.put("ipv6Subnet", l.ipv6Subnet().toString());
        }
        row.put("publicIPv6", l.attrs().publicIpv6());
        row.put("backend", l.attrs().effectiveBackendType());
        row.put(
            "vtepMAC",
            l.attrs().backendData() == null
                ? null
                : l.attrs().backendData().path("VtepMAC").asText(null));
        Optional<Duration> ttl = l.isReservation() ? Optional.empty() : ttls.get(l.storeLeaseId());
        if (ttl.isPresent()) {
          row.put("expiresInSeconds", ttl.get().toSeconds());
        } else {
          row.putNull("expiresInSeconds");
        }
        row.put("reserved", l.isReservation());
        String rejected = rules == null ? null : rules.reject(l);
        if (rejected == null) {
          row.putNull("rejected");
        } else {
          row.put("rejected", rejected);
        }
        List<String> same = byIp.get(l.attrs().nodeAddress());
        if (same.size() > 1) {
          row.put(
              "duplicatePublicIP",
              same.stream()
                  .filter(x -> !x.equals(LeaseCells.subnets(l)))
                  .collect(java.util.stream.Collectors.joining(",")));
        }
        row.set("lease", SharedJson.MAPPER.readTree(l.attrs().toJson()));
      }
      switch (output) {
        case "json" ->
            out.println(
                SharedJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        case "yaml" -> out.print(new ObjectMapper(new YAMLFactory()).writeValueAsString(rows));
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
   * The checks the agents apply to every peer lease (those of the whole cluster), or null when the
   * network config is missing or invalid.
   */
  private static LeaseValidator validator(LeaseRegistry r) {
    try {
      return r.getNetworkConfig()
          .map(NetworkConfig::parse)
          .map(LeaseValidator::forCluster)
          .orElse(null);
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

  private static String status(com.fasterxml.jackson.databind.JsonNode r) {
    if (!r.path("rejected").isNull()) {
      return "REJECTED: " + r.path("rejected").asText();
    }
    return r.has("duplicatePublicIP")
        ? "DUPLICATE: PublicIP also in " + r.path("duplicatePublicIP").asText()
        : "ok";
  }

  /** A cell of both families' fields ({@code v4}, {@code v6} or {@code v4,v6}; null: none). */
  private static String both(com.fasterxml.jackson.databind.JsonNode r, String v4, String v6) {
    return LeaseCells.join(
        v4 != null && r.path(v4).isTextual() ? r.path(v4).asText() : null,
        r.path(v6).isTextual() ? r.path(v6).asText() : null);
  }

  private static void table(PrintWriter out, ArrayNode rows, boolean wide) {
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
    for (var r : rows) {
      String mac = r.path("vtepMAC").isNull() ? "-" : r.path("vtepMAC").asText();
      String expires =
          r.path("expiresInSeconds").isNull()
              ? "-"
              : Outputs.relative(r.path("expiresInSeconds").asLong());
      String reserved = r.path("reserved").asBoolean() ? "yes" : "no";
      List<Object> cols =
          new ArrayList<>(
              List.of(
                  both(r, "subnet", "ipv6Subnet"),
                  both(r, r.path("subnet").isNull() ? null : "publicIP", "publicIPv6"),
                  r.path("backend").asText(),
                  mac,
                  expires,
                  reserved,
                  status(r)));
      if (wide) {
        cols.add(r.path("lease"));
      }
      out.printf(fmt, cols.toArray());
    }
  }
}
