package io.jflannel.ctl;

import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.Peer;
import io.jflannel.admin.v1.PeersReply;
import io.jflannel.admin.v1.PeersRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code jflanctl peers}: the peers the local agent knows and has programmed. */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    description = {
      "List the peer leases the local agent knows, and whether their kernel objects are"
          + " programmed; a rejected lease (outside the network, wrong size, this node's PublicIP,"
          + " another backend, bad backend data) says why.",
      "Reads the admin socket (root only)."
    })
final class PeersCommand extends AdminQuery<PeersReply> {
  @Override
  PeersReply ask(AdminGrpc.AdminBlockingStub agent) {
    return agent.peers(PeersRequest.getDefaultInstance());
  }

  @Override
  void table(PrintWriter out, PeersReply r) {
    String fmt = "%-18s %-15s %-8s %-17s %s%n";
    out.printf(fmt, "SUBNET", "PUBLIC-IP", "BACKEND", "VTEP-MAC", "PROGRAMMED");
    for (Peer p : r.getPeersList()) {
      out.printf(
          fmt,
          LeaseCells.join(p.getSubnet(), p.getIpv6Subnet()),
          LeaseCells.join(p.getPublicIp(), p.getPublicIpv6()),
          p.getBackend(),
          p.getVtepMac().isEmpty() ? "-" : p.getVtepMac(),
          p.getProgrammed() ? "yes" : "no, rejected: " + p.getRejected());
    }
  }
}
