package io.jflannel.backend;

/**
 * A backend cannot use a peer's lease: its data is missing or wrong for this backend (vxlan: no
 * VtepMAC, another VNI; host-gw: a peer not on this node's network). The lease is rejected, logged
 * and counted; nothing is programmed for it. Any other exception out of a backend is a bug, never a
 * rejection ({@link PeerSync#onBackendError}).
 */
public final class BadLeaseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** {@code reason}: one line, e.g. "VNI 7 is not this network's 1". */
  public BadLeaseException(String reason) {
    super(reason);
  }

  /** With the parse error underneath. */
  public BadLeaseException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
