package io.jflannel.ctl;

/** jflanctl's exit codes. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Something went wrong that has no code of its own. */
  public static final int FAILED = 1;

  /** Bad command line (unknown flag, bad subnet syntax). */
  public static final int USAGE = 2;

  /** etcd could not be reached. */
  public static final int ETCD_UNREACHABLE = 3;

  /** The network config is invalid. */
  public static final int INVALID_CONFIG = 4;

  /** The thing asked for does not exist. */
  public static final int NOT_FOUND = 5;

  /** Refused: etcd credentials or permission, or no permission on the admin socket. */
  public static final int DENIED = 6;

  /** The local agent cannot be reached (no admin socket, or nobody listening on it). */
  public static final int AGENT_UNREACHABLE = 7;

  /** {@code jflanctl diff}: the kernel differs from what the leases call for (as diff(1)). */
  public static final int DRIFT = 1;

  private ExitCodes() {}
}
