package io.jflannel.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The listener flags of jflanneld. */
public final class ListenerFlags {
  @Option(
      names = "--healthz-ip",
      description = "health/metrics listen address (default: ${DEFAULT-VALUE})",
      defaultValue = "0.0.0.0")
  String healthzIp;

  @Option(
      names = "--healthz-port",
      description = "health/metrics port, 0 to disable (default: ${DEFAULT-VALUE})",
      defaultValue = "8471")
  int healthzPort;

  @Option(
      names = "--admin-socket",
      description =
          "admin API unix socket, mode 0600 (jflanctl status/diff/reconcile); empty: none (default: ${DEFAULT-VALUE})",
      defaultValue = "/run/jflannel/admin.sock")
  Path adminSocket;

  /**
   * The options these flags give.
   *
   * @throws IllegalArgumentException when the port is not one
   */
  public ListenerOptions options() {
    if (healthzPort < 0 || healthzPort > 65535) {
      throw new IllegalArgumentException("--healthz-port " + healthzPort + " is not a port");
    }
    return new ListenerOptions(
        healthzIp,
        healthzPort,
        adminSocket == null || adminSocket.toString().isEmpty() ? null : adminSocket);
  }
}
