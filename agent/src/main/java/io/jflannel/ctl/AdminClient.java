package io.jflannel.ctl;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.jflannel.admin.v1.AdminGrpc;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A short-lived gRPC client of the local agent's admin socket. */
final class AdminClient implements AutoCloseable {
  private final Path socket;
  private final EpollEventLoopGroup group;
  private final ManagedChannel channel;

  AdminClient(Path socket) {
    this.socket = socket;
    try {
      Files.readAttributes(socket, BasicFileAttributes.class);
    } catch (AccessDeniedException e) {
      throw denied();
    } catch (IOException e) {
      throw new AgentException(
          ExitCodes.AGENT_UNREACHABLE,
          "no admin socket at " + socket + ": is jflanneld running on this node? (--socket)");
    }
    if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
      throw denied();
    }
    group = new EpollEventLoopGroup(1, new DefaultThreadFactory("jflanctl-admin", true));
    channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(group)
            .usePlaintext()
            .build();
  }

  private AgentException denied() {
    return new AgentException(
        ExitCodes.DENIED, "permission denied on " + socket + " (mode 0600: run as root)");
  }

  /** Calls the agent with a 10 s deadline, turning gRPC failures into one-line errors. */
  <T> T call(Function<AdminGrpc.AdminBlockingStub, T> rpc) {
    try {
      return rpc.apply(AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
    } catch (StatusRuntimeException e) {
      Throwable cause = e.getCause();
      while (cause != null && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why = e.getStatus().getDescription();
      String root = cause != null && cause.getMessage() != null ? cause.getMessage() : why;
      if (root != null && root.contains("Permission denied")) {
        throw denied();
      }
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && cause != null) {
        throw new AgentException(
            ExitCodes.AGENT_UNREACHABLE,
            "the agent does not answer on " + socket + " (" + root + "): is jflanneld running?");
      }
      throw new AgentException(ExitCodes.FAILED, "agent: " + (why != null ? why : root));
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }

  /** An admin call failed; carries the exit code. */
  static final class AgentException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    AgentException(int code, String message) {
      super(message);
      this.code = code;
    }
  }
}
