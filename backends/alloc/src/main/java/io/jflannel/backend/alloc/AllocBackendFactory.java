package io.jflannel.backend.alloc;

import io.jflannel.backend.Backend;
import io.jflannel.backend.BackendContext;
import io.jflannel.backend.BackendFactory;

/** Registers alloc. */
public final class AllocBackendFactory implements BackendFactory {
  @Override
  public String type() {
    return "alloc";
  }

  @Override
  public Backend create(BackendContext context) {
    return new AllocBackend(context);
  }

  /** An alloc node programs no peer, so any backend's lease is fine beside it. */
  @Override
  public boolean acceptsLeaseOf(String leaseType) {
    return true;
  }
}
