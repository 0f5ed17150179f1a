package io.jflannel.ctl;

import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.DiffRequest;
import io.jflannel.admin.v1.StatusReply;
import io.jflannel.admin.v1.StatusRequest;
import io.jflannel.agent.cli.EtcdFlags;
import io.jflannel.agent.cli.InterfaceFlags;
import io.jflannel.agent.cli.InterfaceOptions;
import io.jflannel.agent.host.InterfacePicker;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.netlink.Netlink;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jflanctl doctor}: what breaks pods on this node, checked, with or without the agent. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check this node, with or without the agent running: forwarding, br_netfilter, TUN (udp),"
          + " one iptables back end, a forward chain that drops (nftables), the CNI config kubelet"
          + " uses, the interface MTU against the backend, etcd with these credentials, the network"
          + " config, this node's lease, the agent's health and drift.",
      "One line per check: OK, WARN or FAIL with the fix and its section of"
          + " docs/troubleshooting.md. Exit code 1 when any check fails.",
      "Give it the agent's flags (or FLANNELD_* variables)."
    })
final class DoctorCommand implements Callable<Integer> {
  @Mixin EtcdFlags etcd;

  @Mixin InterfaceFlags iface;

  @Mixin AdminFlags admin;

  @Option(
      names = "--subnet-file",
      defaultValue = "/run/flannel/subnet.env",
      description = "the agent's subnet.env (default: ${DEFAULT-VALUE})")
  Path subnetFile;

  @Option(
      names = "--cni-conf-dir",
      defaultValue = "/etc/cni/net.d",
      description = "where kubelet reads CNI configs (default: ${DEFAULT-VALUE})")
  Path cniDir;

  @Option(
      names = "--cni-conf-name",
      defaultValue = "10-jflannel.conflist",
      description = "the agent's CNI config file name (default: ${DEFAULT-VALUE})")
  String cniName;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<DoctorCheck> checks = new ArrayList<>();
    try (Netlink nl = Netlink.open()) {
      NetworkConfig config;
      try (EtcdLeaseRegistry r = Jflanctl.connect(etcd)) {
        config = ClusterChecks.run(r, nl, subnetFile, checks::add);
      } catch (IllegalArgumentException e) { // TLS files that cannot be read
        checks.add(DoctorCheck.fail("etcd", e.getMessage(), "check the TLS files", "etcd-tls"));
        config = null;
      }
      ExternalInterface ext = null;
      try {
        InterfaceOptions o = iface.options();
        ext =
            InterfacePicker.pick(
                nl, o.ifaces(), o.ifaceRegex(), o.ifaceCanReach(), o.publicIp(), o.publicIpv6());
        checks.add(DoctorCheck.ok("interface", ext.link().name() + ", " + ext.publicIp()));
      } catch (IllegalArgumentException | IllegalStateException e) {
        checks.add(
            DoctorCheck.fail("interface", e.getMessage(), "give --iface", "interface-address"));
      }
      checks.addAll(HostChecks.run(config, ext, cniDir, cniName));
    }
    checks.add(agent());
    PrintWriter out = spec.commandLine().getOut();
    checks.forEach(c -> out.println(c.line()));
    return checks.stream().anyMatch(c -> c.level() == DoctorCheck.Level.FAIL)
        ? ExitCodes.FAILED
        : ExitCodes.OK;
  }

  /** The agent's own view: ready or why not, and whether the kernel is as its leases say. */
  private DoctorCheck agent() {
    if (!Files.exists(admin.socket)) {
      return DoctorCheck.warn(
          "agent", "not running (no " + admin.socket + ")", "start jflanneld", "agent-not-ready");
    }
    try (AdminClient c = admin.client()) {
      StatusReply s = c.call(a -> a.status(StatusRequest.getDefaultInstance()));
      if (!s.getReady()) {
        return DoctorCheck.fail(
            "agent",
            "not ready: " + s.getNotReadyReason(),
            "see jflanctl status",
            "agent-not-ready");
      }
      int drift =
          c.call((AdminGrpc.AdminBlockingStub a) -> a.diff(DiffRequest.getDefaultInstance()))
              .getItemsCount();
      if (drift > 0) {
        return DoctorCheck.warn(
            "agent",
            s.getState() + ", " + drift + " kernel objects or rules differ from the leases",
            "jflanctl diff; jflanctl reconcile",
            "repairs-repeating");
      }
      return DoctorCheck.ok(
          "agent", s.getState() + ", " + s.getPeers() + " peers, kernel as the leases say");
    } catch (AdminClient.AgentException e) {
      return DoctorCheck.fail("agent", e.getMessage(), "see jflanctl status", "agent-not-ready");
    }
  }
}
