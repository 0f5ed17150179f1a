package io.jflannel.backend.hostgw;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;

/** Registers host-gw. */
public final class HostGwBackendFactory implements BackendFactory {
  @Override
  public String type() {
    return "host-gw";
  }

  @Override
  public Backend create(BackendContext context) {
    return new HostGwBackend(context);
  }
}
