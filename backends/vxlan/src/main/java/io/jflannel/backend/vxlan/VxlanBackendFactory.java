package io.jflannel.backend.vxlan;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.backend.BackendOption;
import io.jflannel.lease.Lease;
import io.jflannel.lease.NetworkConfig;
import java.util.List;
import java.util.Map;

/** Registers vxlan, with its options (flanneld's) and defaults. */
public final class VxlanBackendFactory implements BackendFactory {
  /** The UDP port when the config gives none (or 0): the kernel's and flanneld's default. */
  static final int DEFAULT_PORT = 8472;

  private static final List<BackendOption> OPTIONS =
      List.of(
          BackendOption.integer("VNI", 0, (1 << 24) - 1),
          BackendOption.integer("Port", 0, 65535),
          BackendOption.integer("MTU", 0, 65535),
          BackendOption.bool("GBP"),
          BackendOption.bool("Learning"),
          BackendOption.bool("DirectRouting"));

  /** The network's VNI (default 1). */
  static int vni(NetworkConfig c) {
    return c.backend().intOption("VNI", 1);
  }

  /** The network's VXLAN port (0 or none: 8472). */
  static int port(NetworkConfig c) {
    int p = c.backend().intOption("Port", 0);
    return p == 0 ? DEFAULT_PORT : p;
  }

  @Override
  public List<BackendOption> options() {
    return OPTIONS;
  }

  @Override
  public Map<String, String> ignoredOptions() {
    return Map.of("MacPrefix", "is a Windows-only option", "Name", "is a Windows-only option");
  }

  @Override
  public String configProblem(NetworkConfig config) {
    int mtu = config.backend().intOption("MTU", 0);
    return mtu != 0 && mtu < 126
        ? "Backend.MTU: " + mtu + " leaves no room for the 50 bytes of VXLAN"
        : null;
  }

  @Override
  public String type() {
    return "vxlan";
  }

  @Override
  public int overhead(NetworkConfig config) {
    return config.dualStack() ? VxlanBackend.OVERHEAD_V6 : VxlanBackend.OVERHEAD;
  }

  @Override
  public boolean madeDevice(String name, String kind) {
    return "vxlan".equals(kind) && name.matches("flannel(-v6)?\\.\\d+");
  }

  @Override
  public List<String> devices(NetworkConfig config) {
    int vni = vni(config);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (config.ipv4()) {
      out.add("flannel." + vni);
    }
    if (config.dualStack()) {
      out.add("flannel-v6." + vni);
    }
    return out;
  }

  @Override
  public Backend create(BackendContext context) {
    return new VxlanBackend(context);
  }

  @Override
  public String leaseProblem(NetworkConfig config, Lease lease) {
    return VtepCheck.problem(config, lease);
  }
}
