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

  /** Requests collected so far. */
  int size();

  /** Sends everything collected, then empties the batch. */
  BatchResult execute();
}
