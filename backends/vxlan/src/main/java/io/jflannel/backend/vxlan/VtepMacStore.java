package io.jflannel.backend.vxlan;

import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Link;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the VTEP MAC stable across restarts: the existing device's MAC (taking over from flanneld),
 * else the one saved in the state dir, else a new random locally administered one.
 */
final class VtepMacStore {
  private static final Logger LOG = LoggerFactory.getLogger(VtepMacStore.class);

  private VtepMacStore() {}

  static MacAddress load(Path stateDir, String device, Link existing) {
    if (existing != null && existing.mac() != null) {
      return existing.mac();
    }
    Path f = stateDir.resolve(device + ".mac");
    try {
      if (Files.isRegularFile(f)) {
        return MacAddress.parse(Files.readString(f).trim());
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("ignoring unreadable {}: {}", f, e.getMessage());
    }
    return MacAddress.randomLocal(new SecureRandom());
  }

  static void save(Path stateDir, String device, MacAddress mac) {
    try {
      Files.createDirectories(stateDir);
      Files.writeString(stateDir.resolve(device + ".mac"), mac + "\n");
    } catch (IOException e) {
      LOG.warn(
          "cannot save VTEP MAC to {}: {} (a restart may change it)", stateDir, e.getMessage());
    }
  }
}
