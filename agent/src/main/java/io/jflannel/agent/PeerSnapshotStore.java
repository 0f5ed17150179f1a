package io.jflannel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.net.Ipv4Net;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last-known-good peer set on local disk, so a restart can program peers while etcd is down.
 */
final class PeerSnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSnapshotStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  PeerSnapshotStore(Path stateDir) {
    this.file = stateDir.resolve("peers.json");
  }

  void save(List<Lease> peers) {
    ArrayNode a = JSON.createArrayNode();
    for (Lease l : peers) {
      if (l.attrs() != null) {
        a.addObject().put("subnet", l.subnet().toString()).put("lease", l.attrs().toJson());
      }
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, a.toString());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot save peer snapshot {}: {}", file, e.getMessage());
    }
  }

  List<Lease> load() {
    List<Lease> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (JsonNode n : JSON.readTree(file.toFile())) {
        out.add(
            new Lease(
                Ipv4Net.parse(n.get("subnet").asText()),
                LeaseAttrs.fromJson(n.get("lease").asText()),
                0,
                null,
                0));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable peer snapshot {}: {}", file, e.getMessage());
      out.clear();
    }
    return out;
  }
}
