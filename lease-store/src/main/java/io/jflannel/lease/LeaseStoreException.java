package io.jflannel.lease;

/** A lease-store operation failed; {@link #reason()} says what kind of failure it was. */
public final class LeaseStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Kinds of failure. */
  public enum Reason {
    /** The store could not be reached or did not answer in time (retryable). */
    UNAVAILABLE,
    /** No free subnet is left in the configured range. */
    OUT_OF_SUBNETS,
    /** The store refused the request (auth, permission, bad request). */
    REJECTED,
    /** The history asked for was compacted away. */
    COMPACTED,
    /** The client was closed. */
    CLOSED,
    /**
     * This node holds a lease the network config no longer allows (another Network or SubnetLen):
     * taking a new subnet would cut its running pods off, so it was not done.
     */
    WOULD_MOVE
  }

  private final Reason reason;

  /** An exception of a reason with a message that names the operation. */
  public LeaseStoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** An exception of a reason with a message that names the operation. */
  public LeaseStoreException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** What kind of failure this was. */
  public Reason reason() {
    return reason;
  }
}
