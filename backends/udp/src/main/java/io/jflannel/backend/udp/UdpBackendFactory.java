package io.jflannel.backend.udp;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.lease.NetworkConfig;

/** Registers udp. */
public final class UdpBackendFactory implements BackendFactory {
  @Override
  public String type() {
    return "udp";
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
