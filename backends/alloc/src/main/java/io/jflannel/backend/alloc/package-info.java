/**
 * alloc: flannel's lease-only backend. The node leases a subnet and writes subnet.env (MTU: the
 * external interface's), and programs no data path: no device, no routes. Its lease carries only
 * the PublicIP, as flanneld's alloc writes it (no BackendType). Peers' leases are read and checked
 * but give no kernel objects. Use it when something else (a cloud's route table, a router) carries
 * the pod traffic and only the address management is wanted.
 */
package io.jflannel.backend.alloc;
