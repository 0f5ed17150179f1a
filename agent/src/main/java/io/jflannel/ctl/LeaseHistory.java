package io.jflannel.ctl;

import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.RegistryWatch;
import io.jflannel.net.IpNet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code jflanctl leases --history SUBNET}: who held a subnet, from etcd's revisions. Replays the
 * store's history with a watch from revision 1 (or from where compaction left it) up to now. etcd
 * keeps revisions, not wall-clock times: rows are ordered by revision.
 */
final class LeaseHistory {
  private LeaseHistory() {}

  /** A replay result: where history starts and the subnet's events in order. */
  record Replay(long startRevision, boolean compacted, List<LeaseEvent> events) {}

  static Replay replay(LeaseRegistry r, IpNet subnet) throws InterruptedException {
    long now = r.listLeases().revision();
    long from = 1;
    boolean compacted = false;
    while (true) {
      LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
      List<LeaseEvent> events = new ArrayList<>();
      try (RegistryWatch w =
          r.watchLeases(
              from,
              new RegistryWatch.Listener() {
                @Override
                public void onEvents(List<LeaseEvent> batch, long revision) {
                  q.add(new Object[] {batch, revision});
                }

                @Override
                public void onCompacted(long compactRevision) {
                  q.add(compactRevision);
                }

                @Override
                public void onError(Throwable error) {
                  q.add(error);
                }
              })) {
        long seen = from - 1;
        while (seen < now) {
          Object o = q.poll(5, TimeUnit.SECONDS);
          if (o == null) {
            break; // no change since: nothing more to replay
          }
          if (o instanceof Long compactRevision) {
            from = compactRevision;
            compacted = true;
            seen = -1;
            break;
          }
          if (o instanceof Throwable t) {
            throw new IllegalStateException("replaying history: " + t.getMessage(), t);
          }
          Object[] b = (Object[]) o;
          @SuppressWarnings("unchecked")
          List<LeaseEvent> batch = (List<LeaseEvent>) b[0];
          batch.stream().filter(e -> LeaseCells.holds(e.lease(), subnet)).forEach(events::add);
          seen = (Long) b[1];
        }
        if (seen != -1) {
          return new Replay(from, compacted, events);
        }
      }
    }
  }

  static void print(PrintWriter out, IpNet subnet, Replay replay) {
    out.println(
        replay.compacted()
            ? "history of "
                + subnet
                + " from revision "
                + replay.startRevision()
                + " (older revisions were compacted away)"
            : "history of " + subnet + " (complete: etcd kept every revision)");
    String fmt = "%-9s %-10s %-18s %-15s %-8s %-17s %s%n";
    out.printf(
        fmt, "REVISION", "EVENT", "SUBNET", "PUBLIC-IP", "BACKEND", "VTEP-MAC", "ETCD-LEASE");
    String holder = null;
    for (LeaseEvent e : replay.events()) {
      Lease l = e.lease();
      String ip = l.attrs() == null ? "-" : l.attrs().nodeAddress();
      String event;
      if (e.type() == LeaseEvent.Type.REMOVED) {
        event = "released"; // deleted, or its etcd lease expired
        holder = null;
      } else {
        event = holder == null ? "acquired" : holder.equals(ip) ? "updated" : "taken over";
        holder = ip;
      }
      out.printf(
          fmt,
          l.modRevision() == 0 ? "-" : Long.toString(l.modRevision()),
          event,
          LeaseCells.subnets(l),
          LeaseCells.publicIps(l),
          l.attrs() == null ? "-" : l.attrs().effectiveBackendType(),
          LeaseCells.vtepMacs(l),
          l.isReservation() ? "none (reserved)" : Long.toHexString(l.storeLeaseId()));
    }
    if (replay.events().isEmpty()) {
      out.println("(no lease for " + subnet + " in the history kept)");
    }
  }
}
