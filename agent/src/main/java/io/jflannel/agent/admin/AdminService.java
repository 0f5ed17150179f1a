package io.jflannel.agent.admin;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.DiffItem;
import io.jflannel.admin.v1.DiffReply;
import io.jflannel.admin.v1.DiffRequest;
import io.jflannel.admin.v1.LogLevelReply;
import io.jflannel.admin.v1.LogLevelRequest;
import io.jflannel.admin.v1.LoggerLevel;
import io.jflannel.admin.v1.Peer;
import io.jflannel.admin.v1.PeersReply;
import io.jflannel.admin.v1.PeersRequest;
import io.jflannel.admin.v1.ReconcileReply;
import io.jflannel.admin.v1.ReconcileRequest;
import io.jflannel.admin.v1.StatusReply;
import io.jflannel.admin.v1.StatusRequest;
import io.jflannel.agent.cli.LogLevels;
import io.jflannel.agent.cli.Version;
import io.jflannel.agent.node.NodeView;
import io.jflannel.agent.node.StatusSnapshot;
import io.jflannel.backend.Drift;
import io.jflannel.backend.Rejection;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The admin API (admin.proto): status from the lifecycle's {@link StatusSnapshot}, peers (accepted
 * and rejected), diff and reconcile over the node's peer sync and firewall, log levels.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
  private final NodeView node;
  private final Netlink nl;
  private final String endpoints;

  public AdminService(NodeView node, Netlink nl, String endpoints) {
    this.node = node;
    this.nl = nl;
    this.endpoints = endpoints;
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusReply> out) {
    StatusSnapshot s = node.status();
    String why = s.notReadyReason();
    StatusReply.Builder b =
        StatusReply.newBuilder()
            .setVersion(Version.get())
            .setState(s.state().name())
            .setReady(why == null)
            .setNotReadyReason(why == null ? "" : why)
            .setStartedUnixMs(s.startedMs())
            .setEtcdEndpoints(endpoints)
            .setEtcdHealthy(s.etcd().healthy())
            .setEtcdSinceUnixMs(s.etcd().sinceMs())
            .setEtcdError(s.etcd().healthy() ? "" : s.etcd().lastError())
            .setInterface(s.node().iface())
            .setPublicIp(s.node().publicIp())
            .setNetwork(s.node().network())
            .setBackend(s.node().backend())
            .setMtu(s.node().mtu())
            .setSubnet(s.node().subnet())
            .setMoved(s.node().moved())
            .setLeaseExpiresUnix(s.leaseExpiresUnix())
            .setPeers(s.sync().peers())
            .setRejected(s.sync().rejected())
            .setConflicts(s.sync().conflicts())
            .setKernelObjects(s.sync().objects())
            .setRepairsTotal(s.sync().repairs())
            .setLastReconcileUnixMs(s.sync().lastReconcileMs())
            .setLastReconcileRepairs(s.sync().lastReconcileRepairs());
    new TreeMap<>(s.conditions()).forEach((k, v) -> b.addConditions(k + ": " + v));
    reply(out, b.build());
  }

  @Override
  public void peers(PeersRequest req, StreamObserver<PeersReply> out) {
    PeersReply.Builder b = PeersReply.newBuilder();
    List<PeerRow> all = new ArrayList<>();
    for (Lease l : node.peers()) {
      all.add(new PeerRow(l, null));
    }
    for (Rejection x : node.rejected()) {
      all.add(new PeerRow(x.lease(), x.reason()));
    }
    all.sort(Comparator.comparing(PeerRow::lease, Lease.BY_KEY));
    for (PeerRow x : all) {
      b.addPeers(peer(x.lease(), x.rejected()).setProgrammed(x.rejected() == null).build());
    }
    reply(out, b.build());
  }

  /** A peer lease and why it is rejected (null: programmed). */
  private record PeerRow(Lease lease, String rejected) {}

  private static Peer.Builder peer(Lease l, String rejected) {
    LeaseAttrs a = l.attrs();
    return Peer.newBuilder()
        .setSubnet(l.subnet() == null ? "" : l.subnet().toString())
        .setPublicIp(a == null || l.subnet() == null ? "" : a.publicIp().toString())
        .setIpv6Subnet(l.ipv6Subnet() == null ? "" : l.ipv6Subnet().toString())
        .setPublicIpv6(a == null || a.publicIpv6() == null ? "" : a.publicIpv6())
        .setBackend(a == null ? "" : a.effectiveBackendType())
        .setVtepMac(a == null || a.vtepMac() == null ? "" : a.vtepMac())
        .setVtepMacV6(a == null || a.vtepMacV6() == null ? "" : a.vtepMacV6())
        .setRejected(rejected == null ? "" : rejected);
  }

  @Override
  public void diff(DiffRequest req, StreamObserver<DiffReply> out) {
    List<Drift> drift;
    try {
      drift = node.diff();
    } catch (IllegalStateException e) {
      out.onError(notYet());
      return;
    }
    reply(out, DiffReply.newBuilder().addAllItems(items(drift)).build());
  }

  @Override
  public void reconcile(ReconcileRequest req, StreamObserver<ReconcileReply> out) {
    NodeView.Reconciled r;
    try {
      r = node.reconcile();
    } catch (IllegalStateException e) {
      out.onError(notYet());
      return;
    }
    reply(
        out,
        ReconcileReply.newBuilder()
            .setRepaired(r.repaired().size())
            .addAllRepairedItems(items(r.repaired()))
            .addAllFailedItems(items(r.failed()))
            .addAllProblems(r.problems())
            .build());
  }

  @Override
  public void logLevel(LogLevelRequest req, StreamObserver<LogLevelReply> out) {
    LogLevelReply.Builder b = LogLevelReply.newBuilder();
    if (!req.getLevel().isEmpty()) {
      try {
        LogLevels.Change c = LogLevels.set(req.getLevel(), req.getLogger());
        b.setPrevious(c.previous()).setNote(c.note());
      } catch (IllegalArgumentException | IllegalStateException e) {
        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
    }
    LogLevels.current()
        .forEach((k, v) -> b.addLevels(LoggerLevel.newBuilder().setLogger(k).setLevel(v)));
    reply(out, b.build());
  }

  private List<DiffItem> items(List<Drift> drift) {
    Map<Integer, String> names = new HashMap<>();
    for (Link l : nl.links()) {
      names.put(l.index(), l.name());
    }
    IntFunction<String> dev = i -> names.getOrDefault(i, "#" + i);
    List<DiffItem> items = new ArrayList<>();
    for (Drift d : drift) {
      items.add(
          DiffItem.newBuilder()
              .setKind(DiffItem.Kind.valueOf(d.kind().name()))
              .setType(d.type())
              .setWant(d.want() == null ? "" : d.want().describe(dev))
              .setHave(d.have() == null ? "" : d.have().describe(dev))
              .build());
    }
    return items;
  }

  private Throwable notYet() {
    String why = node.status().notReadyReason();
    return Status.UNAVAILABLE
        .withDescription(
            "the agent has not programmed peers yet: " + (why == null ? "starting" : why))
        .asRuntimeException();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
