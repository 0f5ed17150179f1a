package io.jflannel.backend.udp;

import io.jflannel.backend.BackendMetric;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The udp backend's data-path counters. */
final class UdpStats {
  final LongAdder txPackets = new LongAdder();
  final LongAdder txBytes = new LongAdder();
  final LongAdder rxPackets = new LongAdder();
  final LongAdder rxBytes = new LongAdder();
  final LongAdder tunReads = new LongAdder();
  final LongAdder tunWrites = new LongAdder();
  final LongAdder icmpSent = new LongAdder();
  private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

  UdpStats() {
    for (DropReason r : DropReason.values()) {
      drops.put(r, new LongAdder());
    }
  }

  void drop(DropReason r) {
    drops.get(r).increment();
  }

  long drops(DropReason r) {
    return drops.get(r).sum();
  }

  /** The counters as metrics ({@code peers} is read at scrape time too). */
  List<BackendMetric> metrics(java.util.function.LongSupplier peers) {
    List<BackendMetric> m = new ArrayList<>();
    String p = "jflannel_udp_";
    m.add(counter(p + "packets_total", "inner packets tunnelled", "direction", "out", txPackets));
    m.add(counter(p + "packets_total", "inner packets tunnelled", "direction", "in", rxPackets));
    m.add(counter(p + "bytes_total", "inner bytes tunnelled", "direction", "out", txBytes));
    m.add(counter(p + "bytes_total", "inner bytes tunnelled", "direction", "in", rxBytes));
    m.add(
        counter(p + "tun_io_total", "reads and writes on the TUN device", "op", "read", tunReads));
    m.add(
        counter(
            p + "tun_io_total", "reads and writes on the TUN device", "op", "write", tunWrites));
    m.add(counter(p + "icmp_unreachable_total", "ICMP net unreachable sent", null, null, icmpSent));
    for (DropReason r : DropReason.values()) {
      m.add(counter(p + "drops_total", "packets dropped", "reason", r.label(), drops.get(r)));
    }
    m.add(new BackendMetric(p + "peers", "peers in the forwarding table", null, null, peers));
    return m;
  }

  private static BackendMetric counter(
      String name, String help, String label, String value, LongAdder a) {
    return new BackendMetric(name, help, label, value, a::sum);
  }
}
