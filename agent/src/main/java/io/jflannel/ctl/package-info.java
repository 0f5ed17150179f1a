/**
 * jflanctl: the admin CLI. Etcd commands (leases, config, reserve, lease delete) use the same flags
 * and FLANNELD_* variables as the agent; docker-opts reads subnet.env. Each error is one line on
 * stderr with a distinct exit code ({@link io.jflannel.ctl.ExitCodes}).
 */
package io.jflannel.ctl;
