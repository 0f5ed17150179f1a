package io.jflannel.backend;

import java.util.function.LongSupplier;

/**
 * One exported sample of a backend's own metric family (e.g. {@code jflannel_udp_drops_total} with
 * {@code reason="unknown_source"}). Samples of one family share name, help and label name.
 *
 * @param name Prometheus name (counters end in {@code _total})
 * @param help help text
 * @param label label name, or null for a metric without labels
 * @param labelValue the label's value for this sample
 * @param value read at scrape time
 */
public record BackendMetric(
    String name, String help, String label, String labelValue, LongSupplier value) {
  /** True for a counter (name ends in {@code _total}), else a gauge. */
  public boolean counter() {
    return name.endsWith("_total");
  }
}
