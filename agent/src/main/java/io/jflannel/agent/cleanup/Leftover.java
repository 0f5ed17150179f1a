package io.jflannel.agent.cleanup;

/**
 * One thing a jflanneld run left on the node, and how to remove it.
 *
 * @param what for the operator: {@code link flannel.1 (vxlan)}, {@code file
 *     /run/flannel/subnet.env}
 * @param remove removes it; throws when it cannot, saying why
 */
record Leftover(String what, Runnable remove) {}
