package io.jflannel.ctl;

import io.jflannel.agent.host.HostAddresses;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.LeaseStoreException;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.netlink.Netlink;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The etcd side of {@code jflanctl doctor}: etcd reachable with the given credentials, the network
 * config there and valid, this node's lease there and holding this host's address.
 */
final class ClusterChecks {
  private ClusterChecks() {}

  /** Runs them into {@code out}; returns the network config (null when none could be read). */
  static NetworkConfig run(
      LeaseRegistry etcd, Netlink nl, Path subnetFile, Consumer<DoctorCheck> out) {
    Optional<String> raw;
    try {
      raw = etcd.getNetworkConfig();
    } catch (LeaseStoreException e) {
      boolean tls = e.getMessage().contains("TLS") || e.getMessage().contains("certificat");
      out.accept(
          DoctorCheck.fail(
              "etcd",
              e.getMessage(),
              tls ? "check --etcd-cafile/--etcd-certfile/--etcd-keyfile" : "check --etcd-endpoints",
              tls ? "etcd-tls" : "etcd-unreachable"));
      return null;
    }
    out.accept(DoctorCheck.ok("etcd", "reachable"));
    if (raw.isEmpty()) {
      out.accept(
          DoctorCheck.fail(
              "config",
              "no network config at " + etcd.prefix() + "/config",
              "jflanctl config set FILE",
              "agent-not-ready"));
      return null;
    }
    NetworkConfig config;
    try {
      config = NetworkConfigs.parse(raw.get());
    } catch (ConfigException e) {
      out.accept(
          DoctorCheck.fail(
              "config",
              "the network config in etcd is invalid: " + e.getMessage(),
              "jflanctl config set a valid one (jflanctl config validate FILE says why)",
              "config-refused"));
      return null;
    }
    out.accept(
        DoctorCheck.ok("config", config.networks() + ", backend " + config.backend().type()));
    out.accept(lease(etcd, nl, subnetFile));
    return config;
  }

  private static DoctorCheck lease(LeaseRegistry etcd, Netlink nl, Path subnetFile) {
    Optional<SubnetEnv> env = SubnetEnv.previous(subnetFile);
    if (env.isEmpty()) {
      return DoctorCheck.warn(
          "lease",
          "no " + subnetFile + ": no agent has held a lease on this node",
          "start jflanneld (or give --subnet-file)",
          "agent-not-ready");
    }
    Optional<Lease> l = etcd.getLease(env.get().subnets());
    String key = env.get().subnets().toKey();
    if (l.isEmpty() || l.get().attrs() == null) {
      return DoctorCheck.fail(
          "lease",
          "this node's lease " + key + " (from " + subnetFile + ") is not in etcd",
          "restart the agent: it takes the subnet again when it is free",
          "lost-lease");
    }
    var a = l.get().attrs();
    return HostAddresses.hold(nl, a)
        ? DoctorCheck.ok("lease", key + " held by " + a.nodeAddress())
        : DoctorCheck.fail(
            "lease",
            key + " is held by " + a.nodeAddress() + ", not an address of this host",
            "restart the agent (another node took the subnet, or this host's address changed)",
            "lost-lease");
  }
}
