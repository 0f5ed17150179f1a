package io.jflannel.agent.admin;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The admin API on a unix socket (mode 0600: root only), with the standard gRPC health service
 * beside it (SERVING once the agent is ready). No TCP listener.
 */
public final class AdminServer implements AutoCloseable {
  private final Path socket;
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();

  /** Serves {@code admin} on {@code socket}, on the agent's event loop {@code group}. */
  public AdminServer(Path socket, BindableService admin, EventLoopGroup group) throws IOException {
    this.socket = socket;
    Files.createDirectories(socket.toAbsolutePath().getParent());
    if (Files.exists(socket)) {
      if (listening(socket)) {
        throw new IOException(
            socket + " is served by another process (is another agent running on this node?)");
      }
      Files.delete(socket); // left by an agent that did not exit cleanly
    }
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(
        admin.bindService().getServiceDescriptor().getName(), ServingStatus.NOT_SERVING);
    server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .directExecutor()
            .addService(admin)
            .addService(health.getHealthService())
            .build()
            .start();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
  }

  private static boolean listening(Path socket) {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Flips the health service to SERVING (ready) or NOT_SERVING. */
  public void serving(boolean ready) {
    ServingStatus st = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus("", st);
    health.setStatus("jflannel.admin.v1.Admin", st);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // best effort: the next start removes a stale socket
    }
  }
}
