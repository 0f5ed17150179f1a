package io.jflannel.lease;

/**
 * A change to the set of leases, as listeners see it.
 *
 * @param type ADDED (a put, including an update of an existing lease) or REMOVED (delete or expiry)
 * @param lease the lease; for REMOVED the last value known, or only the subnet if none was known
 */
public record LeaseEvent(Type type, Lease lease) {

  /** The two kinds of change. */
  public enum Type {
    /** A lease was created or its value changed. */
    ADDED,
    /** A lease was deleted or expired. */
    REMOVED
  }

  /** An ADDED event. */
  public static LeaseEvent added(Lease l) {
    return new LeaseEvent(Type.ADDED, l);
  }

  /** A REMOVED event. */
  public static LeaseEvent removed(Lease l) {
    return new LeaseEvent(Type.REMOVED, l);
  }
}
