package io.jflannel.ctl;

import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.StatusReply;
import io.jflannel.admin.v1.StatusRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code jflanctl status}: the local agent, from its admin socket. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the local agent: ready or not and why, lease, backend, MTU, peers, last reconcile,"
          + " etcd health.",
      "Reads the admin socket (root only)."
    })
final class StatusCommand extends AdminQuery<StatusReply> {
  @Override
  StatusReply ask(AdminGrpc.AdminBlockingStub agent) {
    return agent.status(StatusRequest.getDefaultInstance());
  }

  @Override
  void table(PrintWriter out, StatusReply s) {
    long now = System.currentTimeMillis();
    row(out, "state", s.getState());
    row(out, "ready", s.getReady() ? "yes" : "no: " + s.getNotReadyReason());
    for (String c : s.getConditionsList()) {
      row(out, "degraded", c);
    }
    row(out, "subnet", or(s.getSubnet()) + " of " + or(s.getNetwork()));
    row(out, "backend", or(s.getBackend()) + ", MTU " + s.getMtu());
    row(out, "interface", or(s.getInterface()) + ", public IP " + or(s.getPublicIp()));
    if (!s.getMoved().isEmpty()) {
      row(out, "address moved", s.getMoved() + " (no restart)");
    }
    row(
        out,
        "lease expires",
        s.getLeaseExpiresUnix() == 0
            ? "-"
            : Outputs.relative(s.getLeaseExpiresUnix() - now / 1000));
    row(
        out,
        "peers",
        s.getPeers()
            + " ("
            + s.getKernelObjects()
            + " kernel objects)"
            + (s.getRejected() == 0
                ? ""
                : ", " + s.getRejected() + " leases rejected (jflanctl peers)")
            + (s.getConflicts() == 0
                ? ""
                : ", "
                    + s.getConflicts()
                    + " conflicting (a subnet, address or VtepMAC an older lease holds)"));
    row(
        out,
        "last reconcile",
        s.getLastReconcileUnixMs() == 0
            ? "not yet"
            : Outputs.ago((now - s.getLastReconcileUnixMs()) / 1000)
                + ", "
                + s.getLastReconcileRepairs()
                + " repaired ("
                + s.getRepairsTotal()
                + " since start)");
    String since =
        s.getEtcdSinceUnixMs() == 0
            ? ""
            : " for " + Outputs.span((now - s.getEtcdSinceUnixMs()) / 1000);
    row(
        out,
        "etcd",
        (s.getEtcdHealthy() ? "healthy" + since : "UNHEALTHY" + since + ": " + s.getEtcdError())
            + " ("
            + s.getEtcdEndpoints()
            + ")");
    row(out, "agent", s.getVersion() + ", up " + Outputs.span((now - s.getStartedUnixMs()) / 1000));
  }

  private static String or(String v) {
    return v.isEmpty() ? "-" : v;
  }

  private static void row(PrintWriter out, String k, String v) {
    out.printf("%-15s %s%n", k + ":", v);
  }
}
