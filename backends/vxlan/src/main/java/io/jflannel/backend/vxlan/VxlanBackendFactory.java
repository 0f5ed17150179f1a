package io.jflannel.backend.vxlan;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;

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
}
