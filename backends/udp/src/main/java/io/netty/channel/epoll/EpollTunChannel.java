package io.netty.channel.epoll;

import io.jflannel.netlink.LibC;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.UncheckedBooleanSupplier;
import java.net.SocketAddress;

/**
 * A TUN device's descriptor on Netty's epoll event loop (Netty 4.1 offers no public way to add a
 * descriptor that is not a socket, hence this package). It holds its own duplicate of the
 * descriptor; closing the channel closes that duplicate only. Inbound only: each read(2) becomes
 * one {@link ByteBuf} packet fired down the pipeline (the handler releases it); level-triggered, up
 * to {@code maxMessagesPerRead} packets per wakeup. Packets to the device are written synchronously
 * with write(2) by the owner of the descriptor, never queued here.
 */
public final class EpollTunChannel extends AbstractEpollChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 64);
  private static final int O_CLOEXEC = 0x80000;
  private final EpollChannelConfig config;
  private final FileDescriptor file; // read(2): the socket's own reads use recv(2)

  /**
   * A channel over the TUN descriptor {@code fd} (non-blocking), reading packets of up to {@code
   * maxPacket} bytes.
   */
  public EpollTunChannel(int fd, int maxPacket) {
    super(null, overTun(fd), false);
    this.config = new EpollChannelConfig(this, new FixedRecvByteBufAllocator(maxPacket)) {};
    config.setMaxMessagesPerRead(64);
    flags &= ~Native.EPOLLET; // level-triggered: stopping after a burst needs no re-arming
    file = new FileDescriptor(socket.intValue());
    active = true;
  }

  /**
   * Netty's descriptors must be sockets when made (it asks getsockname), so: make a socket, then
   * point its descriptor number at the TUN device with dup3(2). Reads and epoll work on any file.
   */
  private static LinuxSocket overTun(int tunFd) {
    LinuxSocket s = LinuxSocket.newSocketDgram();
    if (LibC.INSTANCE.dup3(tunFd, s.intValue(), O_CLOEXEC) < 0) {
      int errno = LibC.errno();
      try {
        s.close();
      } catch (java.io.IOException e) {
        // the errno below says what matters
      }
      throw new ChannelException("dup3 of TUN descriptor " + tunFd + ": errno " + errno);
    }
    return s;
  }

  @Override
  public EpollChannelConfig config() {
    return config;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected SocketAddress localAddress0() {
    return null;
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return null;
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    throw new UnsupportedOperationException("packets are written to the TUN device directly");
  }

  @Override
  protected AbstractEpollUnsafe newUnsafe() {
    return new TunUnsafe();
  }

  private final class TunUnsafe extends AbstractEpollUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      promise.setFailure(new UnsupportedOperationException("a TUN device does not connect"));
    }

    @Override
    void epollInReady() {
      ChannelConfig cfg = config();
      if (shouldBreakEpollInReady(cfg)) {
        clearEpollIn0();
        return;
      }
      EpollRecvByteAllocatorHandle handle = recvBufAllocHandle();
      handle.edgeTriggered(false);
      ChannelPipeline pipeline = pipeline();
      handle.reset(cfg);
      epollInBefore();
      Throwable failure = null;
      try {
        do {
          ByteBuf buf = handle.allocate(cfg.getAllocator());
          int n;
          try {
            handle.attemptedBytesRead(buf.writableBytes());
            n = file.readAddress(buf.memoryAddress(), buf.writerIndex(), buf.capacity());
            if (n > 0) {
              buf.writerIndex(buf.writerIndex() + n);
            }
          } catch (Throwable t) {
            buf.release();
            throw t;
          }
          handle.lastBytesRead(Math.max(n, 0));
          if (n <= 0) {
            buf.release();
            break;
          }
          handle.incMessagesRead(1);
          readPending = false;
          pipeline.fireChannelRead(buf);
        } while (handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
      } catch (Throwable t) {
        failure = t;
      }
      handle.readComplete();
      pipeline.fireChannelReadComplete();
      if (failure != null) {
        pipeline.fireExceptionCaught(failure);
      }
      epollInFinally(cfg);
    }
  }
}
