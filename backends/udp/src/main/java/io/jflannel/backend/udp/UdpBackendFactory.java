package io.jflannel.backend.udp;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.BackendOption;
import io.jflannel.lease.NetworkConfig;
import java.util.List;

/** Registers udp, with its options (flanneld's Port; jflannel's Offloads and Device). */
public final class UdpBackendFactory implements BackendFactory {
  /** The UDP port when the config gives none (or 0): flanneld's default. */
  static final int DEFAULT_PORT = 8285;

  private static final List<BackendOption> OPTIONS =
      List.of(
          BackendOption.integer("Port", 0, 65535),
          BackendOption.bool("Offloads"),
          BackendOption.interfaceName("Device"));

  /** The TUN device's name (Backend "Device", default flanneld's flannel0). */
  static String device(NetworkConfig c) {
    return c.backend().textOption("Device", "flannel0");
  }

  /** The network's udp port (0 or none: 8285). */
  static int port(NetworkConfig c) {
    int p = c.backend().intOption("Port", 0);
    return p == 0 ? DEFAULT_PORT : p;
  }

  @Override
  public List<BackendOption> options() {
    return OPTIONS;
  }

  @Override
  public String type() {
    return "udp";
  }

  @Override
  public int overhead(NetworkConfig config) {
    return UdpBackend.OVERHEAD;
  }

  @Override
  public boolean madeDevice(String name, String kind) {
    return "tun".equals(kind) && "flannel0".equals(name);
  }

  @Override
  public List<String> devices(NetworkConfig config) {
    return List.of(device(config));
  }

  @Override
  public Backend create(BackendContext context) {
    return new UdpBackend(context);
  }

  @Override
  public String configProblem(NetworkConfig config) {
    return config.dualStack()
        ? "EnableIPv6: the udp backend carries IPv4 only (as flanneld's): use vxlan or host-gw for a"
            + " dual-stack or IPv6-only network"
        : null;
  }
}
