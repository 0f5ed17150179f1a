/**
 * Fixtures shared by the e2e tests, the benchmarks and the demo: a multi-node cluster built from
 * network namespaces ({@link io.jflannel.testing.NetnsCluster}) and command helpers. Addresses:
 * underlay 198.18.0.0/24, cluster network 10.244.0.0/16; nothing is created in the root namespace.
 */
package io.jflannel.testing;
