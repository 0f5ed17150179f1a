package io.jflannel.netlink;

/**
 * Writes collected and sent in as few syscalls as possible; every request is acknowledged and
 * checked individually. {@link #execute()} attempts all of them and reports each failure with its
 * object, so that a caller can tell what was written from what was not.
 */
public interface Batch {
  /** Adds a replace (create or overwrite) of {@code o}. */
  Batch replace(NetlinkObject o);

  /** Adds a delete of {@code o}; a missing object is not a failure. */
  Batch delete(NetlinkObject o);

  /** Requests collected so far (sent ahead by {@link #flush()} or not). */
  int size();

  /**
   * Starts sending what was collected so far without waiting for it, so that the kernel works while
   * the caller collects more; {@link #execute()} waits for it and reports its failures with the
   * rest. Requests reach the kernel in the order they were added. The default sends nothing ahead
   * (everything goes at {@link #execute()}).
   */
  default void flush() {}

  /** Sends everything collected, then empties the batch. */
  BatchResult execute();
}
