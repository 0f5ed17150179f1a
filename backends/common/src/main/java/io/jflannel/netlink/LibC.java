package io.jflannel.netlink;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/** The few libc calls the kernel layer needs, through jnr-ffi. Every call saves errno. */
public interface LibC {
  /** The loaded library. */
  LibC INSTANCE = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");

  /** The jnr runtime of {@link #INSTANCE}, for errno. */
  static int errno() {
    return Runtime.getRuntime(INSTANCE).getLastError();
  }

  /** socket(2). */
  @SaveError
  int socket(int domain, int type, int protocol);

  /** bind(2). */
  @SaveError
  int bind(int fd, ByteBuffer addr, int len);

  /** getsockname(2). */
  @SaveError
  int getsockname(int fd, ByteBuffer addr, int[] len);

  /** send(2). */
  @SaveError
  long send(int fd, ByteBuffer buf, long len, int flags);

  /** recv(2). */
  @SaveError
  long recv(int fd, ByteBuffer buf, long len, int flags);

  /** setsockopt(2) with an int value. */
  @SaveError
  int setsockopt(int fd, int level, int name, int[] value, int len);

  /** setsockopt(2) with a struct value (e.g. a timeval). */
  @SaveError
  int setsockopt(int fd, int level, int name, ByteBuffer value, int len);

  /** open(2). */
  @SaveError
  int open(String path, int flags);

  /** close(2). */
  @SaveError
  int close(int fd);

  /** ioctl(2) with a pointer argument. */
  @SaveError
  int ioctl(int fd, long request, ByteBuffer arg);

  /** ioctl(2) with an integer argument. */
  @SaveError
  int ioctl(int fd, long request, long arg);

  /** read(2). */
  @SaveError
  long read(int fd, ByteBuffer buf, long len);

  /** write(2). */
  @SaveError
  long write(int fd, ByteBuffer buf, long len);

  /** write(2) from native memory at {@code address}. */
  @SaveError
  long write(int fd, long address, long len);

  /** fcntl(2) with an int argument (e.g. F_DUPFD_CLOEXEC). */
  @SaveError
  int fcntl(int fd, int cmd, int arg);

  /** dup3(2). */
  @SaveError
  int dup3(int oldfd, int newfd, int flags);

  /** strerror(3). */
  String strerror(int errno);
}
