package io.jflannel.backend.vxlan;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;
import io.jflannel.lease.Lease;
import io.jflannel.lease.NetworkConfig;

/** Registers vxlan. */
public final class VxlanBackendFactory implements BackendFactory {
  @Override
  public String type() {
    return "vxlan";
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
