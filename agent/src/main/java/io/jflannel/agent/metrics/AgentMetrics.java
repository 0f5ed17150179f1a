package io.jflannel.agent.metrics;

import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The agent's Prometheus metrics. Gauges, counters and histograms go without exemplars and the
 * histogram is classic only: sampling exemplars and resetting native histograms each start a
 * scheduler thread.
 */
public final class AgentMetrics {
  public final PrometheusRegistry registry = new PrometheusRegistry();
  public final Gauge leaseExpiry =
      Gauge.builder()
          .name("jflannel_lease_expiry_timestamp_seconds")
          .help("when our lease expires")
          .withoutExemplars()
          .register(registry);
  public final Gauge peers =
      Gauge.builder()
          .name("jflannel_peers")
          .help("peer leases known")
          .withoutExemplars()
          .register(registry);
  public final Gauge objects =
      Gauge.builder()
          .name("jflannel_kernel_objects")
          .help("kernel objects programmed for peers")
          .withoutExemplars()
          .register(registry);
  public final Counter repairs =
      Counter.builder()
          .name("jflannel_reconcile_repairs_total")
          .help("kernel objects restored or removed by reconcile")
          .withoutExemplars()
          .register(registry);
  public final Counter etcdErrors =
      Counter.builder()
          .name("jflannel_etcd_errors_total")
          .help("etcd calls that failed")
          .withoutExemplars()
          .register(registry);
  public final Counter etcdRetries =
      Counter.builder()
          .name("jflannel_etcd_retries_total")
          .help("etcd calls retried")
          .withoutExemplars()
          .register(registry);
  public final Counter malformed =
      Counter.builder()
          .name("jflannel_malformed_leases_total")
          .help("lease values skipped as malformed")
          .withoutExemplars()
          .register(registry);
  public final Counter watchEvents =
      Counter.builder()
          .name("jflannel_watch_events_total")
          .help("lease events received")
          .withoutExemplars()
          .register(registry);
  public final Counter iptablesRestores =
      Counter.builder()
          .name("jflannel_iptables_restores_total")
          .help("times iptables rules were (re)applied")
          .withoutExemplars()
          .register(registry);
  public final Counter rejectedLeases =
      Counter.builder()
          .name("jflannel_leases_rejected_total")
          .help("peer leases rejected (each lease once per reason): they program nothing")
          .withoutExemplars()
          .register(registry);
  public final Gauge rejectedNow =
      Gauge.builder()
          .name("jflannel_peers_rejected")
          .help("peer leases currently rejected")
          .withoutExemplars()
          .register(registry);
  public final Gauge conflictsNow =
      Gauge.builder()
          .name("jflannel_lease_conflicts")
          .help(
              "leases that claim a subnet, address or VtepMAC an older lease holds (rejected on"
                  + " every node), this node's own included")
          .withoutExemplars()
          .register(registry);
  public final Counter backendErrors =
      Counter.builder()
          .name("jflannel_backend_errors_total")
          .help("exceptions out of the backend that are bugs, not bad lease data (see the log)")
          .withoutExemplars()
          .register(registry);
  public final Counter configRefused =
      Counter.builder()
          .name("jflannel_config_changes_refused_total")
          .help("network configs read from etcd that were invalid or could not be applied live")
          .withoutExemplars()
          .register(registry);
  public final Counter addressMoves =
      Counter.builder()
          .name("jflannel_address_moves_total")
          .help("times the node moved to a new interface address without a restart")
          .withoutExemplars()
          .register(registry);
  public final Gauge etcdHealthy =
      Gauge.builder()
          .name("jflannel_etcd_healthy")
          .help("1 when the last etcd probe was answered, else 0")
          .withoutExemplars()
          .register(registry);
  private final Gauge state =
      Gauge.builder()
          .name("jflannel_state")
          .help("1 for the agent's current lifecycle state")
          .labelNames("state")
          .withoutExemplars()
          .register(registry);
  private final Gauge degraded =
      Gauge.builder()
          .name("jflannel_degraded")
          .help("1 for each area currently degraded (jflanctl status says why)")
          .labelNames("area")
          .withoutExemplars()
          .register(registry);
  public final Gauge ready =
      Gauge.builder()
          .name("jflannel_ready")
          .help("1 when the agent is ready (as /readyz), 0 when not")
          .withoutExemplars()
          .register(registry);
  public final Gauge lastReconcile =
      Gauge.builder()
          .name("jflannel_last_reconcile_timestamp_seconds")
          .help("when the kernel state was last reconciled without error")
          .withoutExemplars()
          .register(registry);
  public final Gauge subnets =
      Gauge.builder()
          .name("jflannel_network_subnets")
          .help("subnets the network config allows (SubnetMin to SubnetMax), by family")
          .labelNames("family")
          .withoutExemplars()
          .register(registry);
  public final Gauge subnetsLeased =
      Gauge.builder()
          .name("jflannel_network_subnets_leased")
          .help("leases in etcd this node sees (its own, its peers, rejected ones), by family")
          .labelNames("family")
          .withoutExemplars()
          .register(registry);
  private final Gauge buildInfo =
      Gauge.builder()
          .name("jflannel_build_info")
          .help("1, labelled with the agent's version and the backend it runs")
          .labelNames("version", "backend")
          .withoutExemplars()
          .register(registry);
  public final Histogram convergence =
      Histogram.builder()
          .name("jflannel_convergence_seconds")
          .help("from an etcd event received to the kernel programmed")
          .classicOnly()
          .classicUpperBounds(
              0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
          .withoutExemplars()
          .register(registry);

  /**
   * The runtime's own figures beside ours, so that the footprint can be watched where the agent is
   * watched: heap and non-heap memory and pools, buffer pools (direct memory), threads, GC,
   * classes, and the process's RSS, CPU and file descriptors; and the direct memory Netty's pools
   * hold, which bin/jflanneld has Netty allocate without a cleaner (untouched pages stay out of
   * RSS), so that it is not in the buffer pools' figures.
   */
  public void registerRuntime() {
    JvmMemoryMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmThreadsMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
    GaugeWithCallback.builder()
        .name("jflannel_netty_direct_memory_used_bytes")
        .help("direct memory Netty's buffer pools hold outside jvm_buffer_pool_* (-1: not counted)")
        .callback(cb -> cb.call(PlatformDependent.usedDirectMemory()))
        .register(registry);
  }

  /** {@code jflannel_build_info}: this version, the backend once known (empty before). */
  public void buildInfo(String version, String backend) {
    buildInfo.clear();
    buildInfo.labelValues(version, backend).set(1);
  }

  /** Sets the state gauge of {@code state} (1 for the current one). */
  public void state(String state, boolean current) {
    this.state.labelValues(state).set(current ? 1 : 0);
  }

  /** Sets the degraded gauge of {@code area}. */
  public void degraded(String area, boolean on) {
    degraded.labelValues(area).set(on ? 1 : 0);
  }
}
