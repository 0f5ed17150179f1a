/**
 * Benchmarks (run with {@code ./scripts/bench}): each prints a table of figures and ratios measured
 * side by side.
 */
package io.jflannel.bench;
