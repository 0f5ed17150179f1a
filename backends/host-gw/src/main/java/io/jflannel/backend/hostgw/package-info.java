/**
 * host-gw: plain routes. Per remote lease: {@code route <remote subnet> via <remote PublicIP> dev
 * <ext>}. Needs L2 adjacency between nodes; refuses to start when PublicIP is not an address of the
 * external interface (NAT). MTU is the external interface's.
 */
package io.jflannel.backend.hostgw;
