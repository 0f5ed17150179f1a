package io.jflannel.backend;

import io.jflannel.lease.Lease;

/**
 * A peer lease that programs nothing, and why: it failed the shared lease checks or the backend
 * cannot use it.
 *
 * @param lease the lease as read from etcd
 * @param reason one line, e.g. "subnet 10.244.25.128/25 is not a /24 (the network's SubnetLen)"
 */
public record Rejection(Lease lease, String reason) {}
