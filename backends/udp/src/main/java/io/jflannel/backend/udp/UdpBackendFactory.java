package io.jflannel.backend.udp;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;

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
}
