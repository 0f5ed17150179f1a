/**
 * The backend SPI: a {@link io.jflannel.backend.BackendFactory} per backend type, found through
 * {@link java.util.ServiceLoader}; a {@link io.jflannel.backend.Backend} prepares its devices, says
 * what to advertise in the lease, and describes the kernel objects each peer needs ({@link
 * io.jflannel.backend.PeerObjects}). {@link io.jflannel.backend.PeerSync} turns lease events into
 * those objects through batched netlink and repairs drift, for every backend alike.
 */
package io.jflannel.backend;
