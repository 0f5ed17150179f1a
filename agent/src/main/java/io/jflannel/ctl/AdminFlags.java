package io.jflannel.ctl;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local agent's admin socket is (the agent's --admin-socket; FLANNELD_ADMIN_SOCKET). */
final class AdminFlags {
  @Option(
      names = {"--socket", "--admin-socket"},
      paramLabel = "PATH",
      defaultValue = "/run/jflannel/admin.sock",
      description = "the agent's admin socket (default: ${DEFAULT-VALUE})")
  Path socket;

  AdminClient client() {
    return new AdminClient(socket);
  }
}
