package io.jflannel.netlink;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One rtnetlink write: message type, flags, body, and how to describe it in an error.
 *
 * @param type RTM_* message type
 * @param flags NLM_F_* flags beyond REQUEST and ACK
 * @param body writes the fixed struct and attributes
 * @param description describes the request, given a way to name devices by ifindex
 * @param delete true when a missing object is not an error
 * @param object the object written, or null for link requests
 */
record Request(
    int type,
    int flags,
    Consumer<MessageWriter> body,
    Function<IntFunction<String>, String> description,
    boolean delete,
    NetlinkObject object) {

  static boolean absent(int errno) {
    return errno == NetlinkException.ENOENT
        || errno == 3 // ESRCH: no such route
        || errno == NetlinkException.EADDRNOTAVAIL
        || errno == NetlinkException.ENODEV;
  }
}
