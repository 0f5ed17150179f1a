package io.jflannel.netlink;

/**
 * A kernel call failed. Keeps the errno and a readable description of the request, e.g. {@code
 * RTM_NEWROUTE 10.244.3.0/24 via 198.18.0.3 dev eth0: File exists}.
 */
public class NetlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Operation not permitted: the caller lacks CAP_NET_ADMIN. */
  public static final int EPERM = 1;

  /** No such file or directory (an object that is not there). */
  public static final int ENOENT = 2;

  /** File exists: the object is already there (create without replace). */
  public static final int EEXIST = 17;

  /** No such device. */
  public static final int ENODEV = 19;

  /** Invalid argument. */
  public static final int EINVAL = 22;

  /** Address not available. */
  public static final int EADDRNOTAVAIL = 99;

  private final int errno;
  private final String request;

  /** An exception for {@code request} failing with {@code errno}. */
  public NetlinkException(String request, int errno) {
    super(request + ": " + describe(errno) + " (errno " + errno + ")");
    this.errno = errno;
    this.request = request;
  }

  /** The errno (positive). */
  public int errno() {
    return errno;
  }

  /** The request, described. */
  public String request() {
    return request;
  }

  static String describe(int errno) {
    try {
      return LibC.INSTANCE.strerror(errno);
    } catch (RuntimeException | LinkageError e) {
      return "errno " + errno;
    }
  }
}
