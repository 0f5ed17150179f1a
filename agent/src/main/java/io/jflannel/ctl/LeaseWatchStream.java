package io.jflannel.ctl;

import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseRegistry;
import io.jflannel.lease.RegistryWatch;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code jflanctl leases --watch}: after the list, one line per lease change (JSON lines with
 * {@code -o json}), until interrupted. A compaction or a lost watch ends it with an error.
 */
final class LeaseWatchStream {

  private LeaseWatchStream() {}

  /** Streams changes after {@code revision}; returns only by exception or interruption. */
  static void run(LeaseRegistry r, long revision, boolean json, PrintWriter out)
      throws InterruptedException {
    LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
    try (RegistryWatch w =
        r.watchLeases(
            revision + 1,
            new RegistryWatch.Listener() {
              @Override
              public void onEvents(List<LeaseEvent> events, long rev) {
                q.addAll(events);
              }

              @Override
              public void onCompacted(long compactRevision) {
                q.add(
                    new IllegalStateException(
                        "watch: revision " + revision + " was compacted; run again"));
              }

              @Override
              public void onError(Throwable error) {
                q.add(error);
              }
            })) {
      String fmt = "%-9s %-8s %-18s %-15s %-8s %s%n";
      if (!json) {
        out.printf("%nwatching for changes (Ctrl-C to stop)%n");
        out.printf(fmt, "REVISION", "EVENT", "SUBNET", "PUBLIC-IP", "BACKEND", "VTEP-MAC");
      }
      while (true) {
        Object o = q.take();
        if (o instanceof Throwable t) {
          throw new IllegalStateException(t.getMessage(), t);
        }
        LeaseEvent e = (LeaseEvent) o;
        Lease l = e.lease();
        String type = e.type() == LeaseEvent.Type.ADDED ? "ADDED" : "REMOVED";
        String ip = LeaseCells.publicIps(l);
        String backend = l.attrs() == null ? "-" : l.attrs().effectiveBackendType();
        String mac = LeaseCells.vtepMacs(l);
        if (json) {
          out.println(
              Json.write(
                  Json.fields(
                      "revision",
                      l.modRevision(),
                      "event",
                      type,
                      "subnet",
                      l.subnet() == null ? null : l.subnet().toString(),
                      "ipv6Subnet",
                      l.ipv6Subnet() == null ? null : l.ipv6Subnet().toString(),
                      "publicIP",
                      l.attrs() == null ? null : l.attrs().publicIp().toString(),
                      "publicIPv6",
                      l.attrs() == null ? null : l.attrs().publicIpv6(),
                      "backend",
                      backend,
                      "vtepMAC",
                      mac)));
        } else {
          out.printf(fmt, l.modRevision(), type, LeaseCells.subnets(l), ip, backend, mac);
        }
        out.flush();
      }
    }
  }
}
