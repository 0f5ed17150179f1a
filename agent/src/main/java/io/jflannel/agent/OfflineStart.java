package io.jflannel.agent;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.SubnetEnv;
import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Netlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting while etcd is unreachable: from the config, subnet.env and peer snapshot a previous run
 * left, re-create devices and program the last-known-good peers so the node forwards before etcd
 * returns. The normal start takes over (and reconciles) once etcd answers.
 */
final class OfflineStart {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineStart.class);

  private final AgentOptions o;
  private final Netlink nl;
  private final ExternalInterface ext;
  private final Runnable onProgrammed;
  private final Path configFile;
  private volatile Started started;

  OfflineStart(AgentOptions o, Netlink nl, ExternalInterface ext, Runnable onProgrammed) {
    this.o = o;
    this.nl = nl;
    this.ext = ext;
    this.onProgrammed = onProgrammed;
    this.configFile = o.stateDir().resolve("network-config.json");
  }

  void saveConfig(NetworkConfig c) {
    try {
      Files.createDirectories(o.stateDir());
      Files.writeString(configFile, c.json());
    } catch (IOException e) {
      LOG.warn("cannot save network config to {}: {}", configFile, e.getMessage());
    }
  }

  void run() {
    Optional<Ipv4Net> own = SubnetEnv.previousSubnet(o.subnetFile());
    List<Lease> peers = new PeerSnapshotStore(o.stateDir()).load();
    if (own.isEmpty() || !Files.isRegularFile(configFile)) {
      LOG.warn("etcd not reachable yet and no local state from a previous run: waiting for etcd");
      return;
    }
    try {
      NetworkConfig config = NetworkConfig.parse(Files.readString(configFile));
      BackendFactory f = BackendFactory.find(config.backend().type()).orElseThrow();
      Backend b = f.create(new BackendContext(nl, ext, config, o.stateDir()));
      try {
        LeaseAttrs attrs = b.prepare();
        b.start(new Lease(own.get(), attrs, 0, null, 0));
        new Iptables(config.network(), own.get(), o.ipMasq(), o.iptablesForwardRules()).apply();
        PeerSync sync = new PeerSync(nl, b, config.network(), config.subnetLen(), own.get());
        sync.snapshot(peers);
        LOG.warn(
            "etcd unreachable: programmed {} peers ({} kernel objects) from the last-known-good snapshot",
            peers.size(),
            sync.objectCount());
        started = new Started(config, b, attrs);
        onProgrammed.run();
      } catch (RuntimeException e) {
        b.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not program peers from local state: {}", e.getMessage());
    }
  }

  /** A backend started from local state (it keeps forwarding: udp's data path lives in it). */
  record Started(NetworkConfig config, Backend backend, LeaseAttrs attrs) {}

  /**
   * The backend the offline start left running, if it serves {@code config} (the normal start
   * carries on with it); otherwise closes it and returns null. Call once, after {@link #run()}.
   */
  Started takeOver(NetworkConfig config) {
    Started s = started;
    started = null;
    if (s != null && !s.config().equals(config)) {
      LOG.info("network config changed while etcd was unreachable: restarting the backend");
      s.backend().close();
      return null;
    }
    return s;
  }
}
