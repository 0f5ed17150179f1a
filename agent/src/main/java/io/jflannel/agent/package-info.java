/**
 * jflanneld: the node agent. {@link io.jflannel.agent.Jflanneld} parses flags (flanneld's names,
 * also read from {@code FLANNELD_*} environment variables) and runs an {@link
 * io.jflannel.agent.Agent}: etcd → config → interface → backend → lease → iptables → subnet.env →
 * ready → watch and reconcile until SIGTERM (docs/architecture.md, "Lifecycle").
 */
package io.jflannel.agent;
