package io.jflannel.agent;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jflannel.admin.v1.AdminGrpc;
import io.jflannel.admin.v1.DiffItem;
import io.jflannel.admin.v1.DiffReply;
import io.jflannel.admin.v1.DiffRequest;
import io.jflannel.admin.v1.Peer;
import io.jflannel.admin.v1.PeersReply;
import io.jflannel.admin.v1.PeersRequest;
import io.jflannel.admin.v1.ReconcileReply;
import io.jflannel.admin.v1.ReconcileRequest;
import io.jflannel.admin.v1.StatusReply;
import io.jflannel.admin.v1.StatusRequest;
import io.jflannel.backend.Drift;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Lease;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.Netlink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The admin API (admin.proto) over the agent's status, peer sync and iptables. */
final class AdminService extends AdminGrpc.AdminImplBase {
  private final AgentStatus s;
  private final Netlink nl;
  private final Reconciler reconciler;
  private final String endpoints;

  /** Runs a full repair the way the agent's own loop does (metrics, status, iptables). */
  interface Reconciler {
    List<Drift> reconcileNow();
  }

  AdminService(AgentStatus s, Netlink nl, Reconciler reconciler, String endpoints) {
    this.s = s;
    this.nl = nl;
    this.reconciler = reconciler;
    this.endpoints = endpoints;
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusReply> out) {
    StatusReply.Builder b =
        StatusReply.newBuilder()
            .setVersion(Version.get())
            .setStartedUnixMs(s.startedMs)
            .setEtcdEndpoints(endpoints)
            .setEtcdHealthy(s.etcdHealthy())
            .setLastReconcileUnixMs(s.lastReconcileMs)
            .setLastReconcileRepairs(s.lastReconcileRepairs)
            .setLeaseExpiresUnix(s.leaseExpiresUnix);
    String why = s.notReady();
    b.setReady(why == null).setNotReadyReason(why == null ? "" : why);
    if (!s.etcdHealthy() && s.etcdError != null) {
      b.setEtcdError(s.etcdError);
    }
    if (s.ext != null) {
      b.setInterface(s.ext.link().name()).setPublicIp(s.ext.publicIp().toString());
    }
    if (s.config != null) {
      b.setNetwork(s.config.network().toString()).setBackend(s.config.backend().type());
    }
    if (s.backend != null) {
      b.setMtu(s.backend.mtu());
    }
    if (s.own != null) {
      b.setSubnet(s.own.subnet().toString());
    }
    PeerSync sync = s.sync;
    if (sync != null) {
      b.setPeers(sync.peerCount())
          .setKernelObjects(sync.objectCount())
          .setRepairsTotal(sync.repairCount());
    }
    reply(out, b.build());
  }

  @Override
  public void peers(PeersRequest req, StreamObserver<PeersReply> out) {
    PeerSync sync = s.sync;
    PeersReply.Builder b = PeersReply.newBuilder();
    if (sync != null) {
      List<Lease> peers = new ArrayList<>(sync.peers());
      peers.sort(Comparator.comparing(Lease::subnet));
      for (Lease l : peers) {
        var data = l.attrs().backendData();
        b.addPeers(
            Peer.newBuilder()
                .setSubnet(l.subnet().toString())
                .setPublicIp(l.attrs().publicIp().toString())
                .setBackend(l.attrs().effectiveBackendType())
                .setVtepMac(data == null ? "" : data.path("VtepMAC").asText(""))
                .setProgrammed(sync.isProgrammed(l.subnet())));
      }
    }
    reply(out, b.build());
  }

  @Override
  public void diff(DiffRequest req, StreamObserver<DiffReply> out) {
    PeerSync sync = s.sync;
    if (sync == null) {
      out.onError(notYet());
      return;
    }
    List<Drift> drift = new ArrayList<>(sync.diff());
    if (s.iptables != null) {
      drift.addAll(s.iptables.drift());
    }
    reply(out, DiffReply.newBuilder().addAllItems(items(drift)).build());
  }

  @Override
  public void reconcile(ReconcileRequest req, StreamObserver<ReconcileReply> out) {
    if (s.sync == null) {
      out.onError(notYet());
      return;
    }
    List<Drift> fixed = reconciler.reconcileNow();
    reply(
        out,
        ReconcileReply.newBuilder()
            .setRepaired(fixed.size())
            .addAllRepairedItems(items(fixed))
            .build());
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
              .setWant(d.want() == null ? "" : Drift.describe(d.want(), dev))
              .setHave(d.have() == null ? "" : Drift.describe(d.have(), dev))
              .build());
    }
    return items;
  }

  private Throwable notYet() {
    String why = s.notReady();
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
