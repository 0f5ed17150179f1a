package io.jflannel.backend.vxlan;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.backend.LeaseRules;
import io.jflannel.backend.PeerSync;
import io.jflannel.lease.Json;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseAttrs;
import io.jflannel.lease.LeaseValidator;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.RecordingNetlink;
import java.nio.file.Path;

/** A vxlan node on {@link RecordingNetlink}: eth0 at 198.18.0.1, own subnet 10.244.1.0/24. */
final class VxlanFixture {
  static final NetworkConfig CONFIG =
      NetworkConfig.parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}");
  static final Ipv4Net OWN = Ipv4Net.parse("10.244.1.0/24");

  final RecordingNetlink nl = new RecordingNetlink();
  final Link eth = nl.addExisting("eth0", 1500, MacAddress.parse("02:00:00:00:00:01"));
  final ExternalInterface ext =
      new ExternalInterface(
          eth,
          Ipv4Address.parse("198.18.0.1"),
          Ipv4Net.parse("198.18.0.0/24"),
          Ipv4Address.parse("198.18.0.1"));
  final Backend backend;
  final PeerSync sync;

  VxlanFixture(Path state) {
    backend =
        BackendFactory.find("vxlan")
            .orElseThrow()
            .create(new BackendContext(nl, ext, CONFIG, state));
    Lease own = new Lease(OWN, backend.prepare(), 1, null, 1);
    backend.start(own);
    sync =
        new PeerSync(
            nl,
            backend,
            new LeaseValidator(CONFIG, OWN, ext.publicIp()),
            LeaseRules.of(CONFIG),
            CONFIG,
            new io.jflannel.lease.SubnetKey(OWN, null));
    sync.onBackendError(
        (l, e) -> {
          throw new AssertionError("backend bug on lease " + l.key(), e); // fails the test
        });
  }

  int dev() {
    return backend.deviceIndex();
  }

  /** A vxlan peer: 10.244.n.0/24 at 198.18.0.n. */
  static Lease peer(int n, String mac) {
    return lease("10.244." + n + ".0/24", "198.18.0." + n, mac);
  }

  static Lease lease(String subnet, String publicIp, String mac) {
    return lease(subnet, publicIp, mac, 1);
  }

  /** A lease created at {@code revision} (its age in a conflict). */
  static Lease lease(String subnet, String publicIp, String mac, long revision) {
    var data = Json.object("VNI", 1, "VtepMAC", mac);
    return new Lease(
        Ipv4Net.parse(subnet),
        LeaseAttrs.of(Ipv4Address.parse(publicIp), "vxlan", data),
        7,
        null,
        revision);
  }
}
