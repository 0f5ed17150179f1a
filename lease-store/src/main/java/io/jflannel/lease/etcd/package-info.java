/**
 * The etcd {@link io.jflannel.lease.LeaseRegistry}, the only package that imports jetcd. Every call
 * has its own deadline, is retried on transient failures, and passes a circuit breaker
 * (Resilience4j) whose state is reported to the {@link io.jflannel.lease.RegistryObserver}.
 */
package io.jflannel.lease.etcd;
