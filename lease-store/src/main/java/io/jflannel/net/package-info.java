/**
 * Small IPv4, IPv6 and MAC value types (and the family-neutral {@link io.jflannel.net.IpAddress}
 * and {@link io.jflannel.net.IpNet} the kernel objects of either family hold) shared by every
 * module. No dependencies; every type is an immutable record with a strict parser that rejects
 * malformed text with an {@link java.lang.IllegalArgumentException} naming the input.
 */
package io.jflannel.net;
