package io.jflannel.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TUN device opened through /dev/net/tun (IFF_TUN | IFF_NO_PI), non-blocking, with optional
 * IFF_VNET_HDR and IFF_MULTI_QUEUE. Its {@link #fd()} can be driven by an epoll loop (Netty). Use
 * {@link #isAvailable()} / {@link #unavailabilityCause()} before opening, as with Netty's Epoll.
 */
public final class TunDevice implements AutoCloseable {
  /** IFF_TUN. */
  public static final int IFF_TUN = 0x0001;

  /** IFF_NO_PI. */
  public static final int IFF_NO_PI = 0x1000;

  /** IFF_MULTI_QUEUE. */
  public static final int IFF_MULTI_QUEUE = 0x0100;

  /** IFF_VNET_HDR. */
  public static final int IFF_VNET_HDR = 0x4000;

  /** TUN_F_CSUM. */
  public static final int TUN_F_CSUM = 0x01;

  /** TUN_F_TSO4. */
  public static final int TUN_F_TSO4 = 0x02;

  /** The struct virtio_net_hdr that leads every packet when IFF_VNET_HDR is set. */
  public static final int VNET_HDR_LEN = 10;

  private static final int EBADF = 9;
  private static final long TUNSETIFF = 0x400454caL;
  private static final long TUNSETPERSIST = 0x400454cbL;
  private static final long TUNSETOFFLOAD = 0x400454d0L;
  private static final int O_RDWR = 2;
  private static final int O_NONBLOCK = 0x800;
  private static final int O_CLOEXEC = 0x80000;
  private static final Path DEV = Path.of("/dev/net/tun");

  private final LibC libc = LibC.INSTANCE;
  private final int fd;
  private final String name;
  private final int flags;
  private volatile boolean closed;

  private TunDevice(int fd, String name, int flags) {
    this.fd = fd;
    this.name = name;
    this.flags = flags;
  }

  /** Why TUN devices cannot be opened here, or null when they can. */
  public static String unavailabilityCause() {
    if (!Files.exists(DEV)) {
      return "/dev/net/tun does not exist (load the tun module, or mount /dev/net/tun into the"
          + " container; see docs/troubleshooting.md#tun-missing)";
    }
    if (!Files.isReadable(DEV) || !Files.isWritable(DEV)) {
      return "/dev/net/tun is not readable and writable by this process";
    }
    return null;
  }

  /** True when TUN devices can be opened (the capability check happens at {@link #open}). */
  public static boolean isAvailable() {
    return unavailabilityCause() == null;
  }

  /** Throws with the cause when TUN is unavailable. */
  public static void ensureAvailability() {
    String cause = unavailabilityCause();
    if (cause != null) {
      throw new IllegalStateException("TUN unavailable: " + cause);
    }
  }

  /**
   * Opens (creating if needed) the TUN device {@code name} with extra flags (IFF_VNET_HDR,
   * IFF_MULTI_QUEUE) on top of IFF_TUN | IFF_NO_PI.
   */
  public static TunDevice open(String name, int extraFlags) {
    ensureAvailability();
    LibC libc = LibC.INSTANCE;
    int fd = libc.open(DEV.toString(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      throw new NetlinkException("open " + DEV, LibC.errno());
    }
    int flags = IFF_TUN | IFF_NO_PI | extraFlags;
    ByteBuffer ifr = ByteBuffer.allocateDirect(40).order(java.nio.ByteOrder.nativeOrder());
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    if (n.length > 15) {
      libc.close(fd);
      throw new IllegalArgumentException("TUN name longer than 15 bytes: " + name);
    }
    ifr.put(0, n).putShort(16, (short) flags);
    if (libc.ioctl(fd, TUNSETIFF, ifr) < 0) {
      int e = LibC.errno();
      libc.close(fd);
      String hint = e == NetlinkException.EPERM ? " (CAP_NET_ADMIN is needed)" : "";
      throw new NetlinkException(
          "TUNSETIFF " + name + " flags 0x" + Integer.toHexString(flags) + hint, e);
    }
    byte[] got = new byte[16];
    ifr.get(0, got);
    int len = 0;
    while (len < 16 && got[len] != 0) {
      len++;
    }
    return new TunDevice(fd, new String(got, 0, len, StandardCharsets.US_ASCII), flags);
  }

  /** Enables offloads (TUN_F_*); needs IFF_VNET_HDR. */
  public void setOffload(int offloads) {
    if (libc.ioctl(fd, TUNSETOFFLOAD, offloads) < 0) {
      throw new NetlinkException(
          "TUNSETOFFLOAD " + name + " 0x" + Integer.toHexString(offloads), LibC.errno());
    }
  }

  /**
   * Makes the device outlive this descriptor (TUNSETPERSIST): its address and routes survive an
   * agent restart, and the next open attaches to it.
   */
  public void setPersistent(boolean persistent) {
    if (libc.ioctl(fd, TUNSETPERSIST, persistent ? 1 : 0) < 0) {
      throw new NetlinkException("TUNSETPERSIST " + name + " " + persistent, LibC.errno());
    }
  }

  /** True when opened with IFF_VNET_HDR (every packet carries a virtio_net_hdr first). */
  public boolean hasVnetHeader() {
    return (flags & IFF_VNET_HDR) != 0;
  }

  /** Writes one packet from native memory. */
  public void write(long address, int length) {
    if (closed) { // the descriptor number may belong to something else by now
      throw new NetlinkException("write " + name + ": device closed", EBADF);
    }
    if (libc.write(fd, address, length) < 0) {
      throw new NetlinkException("write " + name + " (" + length + " bytes)", LibC.errno());
    }
  }

  /** The kernel's name for the device. */
  public String name() {
    return name;
  }

  /** The file descriptor (non-blocking). */
  public int fd() {
    return fd;
  }

  /** The IFF_* flags it was opened with. */
  public int flags() {
    return flags;
  }

  /**
   * Reads one packet into {@code buf} (from its position); returns its length, or 0 if none is
   * waiting.
   */
  public int read(ByteBuffer buf) {
    long n = libc.read(fd, buf.slice(), buf.remaining());
    if (n < 0) {
      int e = LibC.errno();
      if (e == NetlinkSocket.EAGAIN) {
        return 0;
      }
      throw new NetlinkException("read " + name, e);
    }
    buf.position(buf.position() + (int) n);
    return (int) n;
  }

  /** Writes one packet (position to limit). */
  public void write(ByteBuffer packet) {
    long n = libc.write(fd, packet.slice(), packet.remaining());
    if (n < 0) {
      throw new NetlinkException(
          "write " + name + " (" + packet.remaining() + " bytes)", LibC.errno());
    }
    packet.position(packet.limit());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }
}
