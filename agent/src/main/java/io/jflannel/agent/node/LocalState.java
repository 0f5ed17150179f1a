package io.jflannel.agent.node;

import com.fasterxml.jackson.jr.stree.JrsArray;
import com.fasterxml.jackson.jr.stree.JrsValue;
import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.AtomicFile;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.lease.SubnetKey;
import io.jflannel.net.Ipv4Net;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run leaves on local disk for the next one: the network config it ran with ({@code
 * network-config.json}), its subnet (subnet.env) and the last-known-good peers ({@code
 * peers.json}), all written atomically. They let a restart program the node while etcd is
 * unreachable, and keep a node on its subnet when the config in etcd moved away under it.
 */
public final class LocalState {
  private static final Logger LOG = LoggerFactory.getLogger(LocalState.class);

  private final Path configFile;
  private final Path peersFile;
  private final Path subnetFile;

  /** The state of {@code stateDir}, and the subnet.env at {@code subnetFile}. */
  public LocalState(Path stateDir, Path subnetFile) {
    this.configFile = stateDir.resolve("network-config.json");
    this.peersFile = stateDir.resolve("peers.json");
    this.subnetFile = subnetFile;
  }

  /** The config the previous run used, if saved and still valid. */
  public Optional<NetworkConfig> config() {
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(NetworkConfigs.parse(Files.readString(configFile)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable {}: {}", configFile, e.getMessage());
      return Optional.empty();
    }
  }

  void saveConfig(NetworkConfig c) {
    try {
      AtomicFile.write(configFile, c.json(), "rw-r--r--");
    } catch (IOException e) {
      LOG.warn("cannot save the network config to {}: {}", configFile, e.getMessage());
    }
  }

  /** The subnets the previous run wrote to subnet.env. */
  public Optional<SubnetKey> subnet() {
    return SubnetEnv.previous(subnetFile).map(SubnetEnv::subnets);
  }

  void savePeers(List<Lease> peers) {
    List<Object> a = new ArrayList<>();
    for (Lease l : peers) {
      if (l.attrs() != null) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (l.subnet() != null) {
          o.put("subnet", l.subnet().toString());
        }
        if (l.ipv6Subnet() != null) {
          o.put("ipv6Subnet", l.ipv6Subnet().toString());
        }
        o.put("lease", l.attrs().toJson());
        a.add(o);
      }
    }
    try {
      AtomicFile.write(peersFile, Json.write(a), "rw-------");
    } catch (IOException e) {
      LOG.warn("cannot save the peer snapshot {}: {}", peersFile, e.getMessage());
    }
  }

  List<Lease> peers() {
    List<Lease> out = new ArrayList<>();
    if (!Files.isRegularFile(peersFile)) {
      return out;
    }
    try {
      if (!(Json.parse(Files.readString(peersFile)) instanceof JrsArray all)) {
        throw new IllegalArgumentException("not a JSON array");
      }
      for (Iterator<JrsValue> it = all.elements(); it.hasNext(); ) {
        JrsValue n = it.next();
        String subnet = Json.text(n.get("subnet"));
        String subnet6 = Json.text(n.get("ipv6Subnet"));
        out.add(
            new Lease(
                subnet != null ? Ipv4Net.parse(subnet) : null,
                LeaseAttrs.fromJson(Json.text(n.get("lease"))),
                0,
                null,
                0,
                subnet6 != null ? io.jflannel.net.Ipv6Net.parse(subnet6) : null));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable peer snapshot {}: {}", peersFile, e.getMessage());
      out.clear();
    }
    return out;
  }
}
