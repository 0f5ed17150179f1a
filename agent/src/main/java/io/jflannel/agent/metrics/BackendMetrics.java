package io.jflannel.agent.metrics;

import io.jflannel.backend.BackendMetric;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Exports a backend's own metrics: one callback family per name, read at scrape time. */
public final class BackendMetrics {
  private BackendMetrics() {}

  /** Registers them; returns what was registered, for {@code registry.unregister}. */
  public static List<Collector> register(PrometheusRegistry registry, List<BackendMetric> metrics) {
    List<Collector> out = new java.util.ArrayList<>();
    Map<String, List<BackendMetric>> families = new LinkedHashMap<>();
    metrics.forEach(
        m -> families.computeIfAbsent(m.name(), k -> new java.util.ArrayList<>()).add(m));
    families.forEach(
        (name, samples) -> {
          BackendMetric first = samples.get(0);
          String[] labels = first.label() == null ? new String[0] : new String[] {first.label()};
          if (first.counter()) {
            out.add(
                CounterWithCallback.builder()
                    .name(name)
                    .help(first.help())
                    .labelNames(labels)
                    .callback(cb -> samples.forEach(s -> cb.call(s.value().getAsLong(), values(s))))
                    .register(registry));
          } else {
            out.add(
                GaugeWithCallback.builder()
                    .name(name)
                    .help(first.help())
                    .labelNames(labels)
                    .callback(cb -> samples.forEach(s -> cb.call(s.value().getAsLong(), values(s))))
                    .register(registry));
          }
        });
    return out;
  }

  private static String[] values(BackendMetric s) {
    return s.label() == null ? new String[0] : new String[] {s.labelValue()};
  }
}
