package io.jflannel.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The agent's Prometheus metrics. */
final class AgentMetrics {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final Gauge leaseExpiry =
      Gauge.builder()
          .name("jflannel_lease_expiry_timestamp_seconds")
          .help("when our lease expires")
          .register(registry);
  final Gauge peers =
      Gauge.builder().name("jflannel_peers").help("peer leases known").register(registry);
  final Gauge objects =
      Gauge.builder()
          .name("jflannel_kernel_objects")
          .help("kernel objects programmed for peers")
          .register(registry);
  final Counter repairs =
      Counter.builder()
          .name("jflannel_reconcile_repairs_total")
          .help("kernel objects restored or removed by reconcile")
          .register(registry);
  final Counter etcdErrors =
      Counter.builder()
          .name("jflannel_etcd_errors_total")
          .help("etcd calls that failed")
          .register(registry);
  final Counter etcdRetries =
      Counter.builder()
          .name("jflannel_etcd_retries_total")
          .help("etcd calls retried")
          .register(registry);
  final Counter malformed =
      Counter.builder()
          .name("jflannel_malformed_leases_total")
          .help("lease values skipped as malformed")
          .register(registry);
  final Counter watchEvents =
      Counter.builder()
          .name("jflannel_watch_events_total")
          .help("lease events received")
          .register(registry);
  final Counter iptablesRestores =
      Counter.builder()
          .name("jflannel_iptables_restores_total")
          .help("times iptables rules were (re)applied")
          .register(registry);
  final Histogram convergence =
      Histogram.builder()
          .name("jflannel_convergence_seconds")
          .help("from an etcd event received to the kernel programmed")
          .classicUpperBounds(
              0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
          .register(registry);
}
