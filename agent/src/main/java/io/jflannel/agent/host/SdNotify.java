package io.jflannel.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's readiness protocol: datagrams such as {@code READY=1\nSTATUS=...} to the AF_UNIX socket
 * named by {@code $NOTIFY_SOCKET} (a path, or an abstract name starting with {@code @}). Without
 * that variable every call does nothing.
 */
public final class SdNotify {
  private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);
  private final String socket;

  SdNotify(String socket) {
    this.socket = socket == null || socket.isEmpty() ? null : socket;
  }

  public static SdNotify fromEnvironment() {
    return new SdNotify(System.getenv("NOTIFY_SOCKET"));
  }

  public void ready(String status) {
    send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid() + "\n");
  }

  void status(String status) {
    send("STATUS=" + status + "\n");
  }

  public void stopping() {
    send("STOPPING=1\n");
  }

  private void send(String message) {
    if (socket == null) {
      return;
    }
    String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
    try (UnixDatagramChannel ch = UnixDatagramChannel.open()) {
      ch.send(
          ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), new UnixSocketAddress(path));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot notify systemd on {}: {}", socket, e.getMessage());
    }
  }
}
