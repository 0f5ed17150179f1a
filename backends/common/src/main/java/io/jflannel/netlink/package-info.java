/**
 * The kernel layer: rtnetlink over an AF_NETLINK socket through jnr-ffi ({@link
 * io.jflannel.netlink.Netlink}, {@link io.jflannel.netlink.RtnlNetlink}), TUN devices ({@link
 * io.jflannel.netlink.TunDevice}), and sysctls. No {@code ip} or {@code bridge} process is ever
 * run.
 *
 * <p>Errors are {@link io.jflannel.netlink.NetlinkException}s that keep the errno and describe the
 * request. Writes replace; deletes of missing objects succeed. {@link
 * io.jflannel.netlink.RecordingNetlink} is an in-memory double for unit tests of backends.
 */
package io.jflannel.netlink;
