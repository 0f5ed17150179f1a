package io.jflannel.backend;

import io.jflannel.lease.Lease;
import io.jflannel.lease.NetworkConfig;
import java.util.Optional;
import java.util.ServiceLoader;

/** Creates backends of one type; registered in META-INF/services. */
public interface BackendFactory {
  /** The config's Backend.Type this factory serves. */
  String type();

  /** A backend for this node. */
  Backend create(BackendContext context);

  /**
   * Why no node of {@code config}'s network can use {@code lease}'s backend data, or null: the
   * checks that do not depend on the node (vxlan: a unicast VtepMAC and the network's VNI in
   * BackendData, and in BackendV6Data for a lease with an IPv6 subnet). The agents and {@code
   * jflanctl leases} apply them alike ({@link LeaseRules}); what depends on the node is {@link
   * Backend#objectsFor}'s to refuse.
   */
  default String leaseProblem(NetworkConfig config, Lease lease) {
    return null;
  }

  /**
   * Why this backend cannot run {@code config} (e.g. udp: a dual-stack network), or null. The agent
   * refuses to start on it and {@code jflanctl config validate|set} refuses it alike ({@link
   * #problemWith}).
   */
  default String configProblem(NetworkConfig config) {
    return null;
  }

  /**
   * Why {@code config} cannot run here: its backend is not on the class path, or refuses it; null
   * when it can.
   */
  static String problemWith(NetworkConfig config) {
    String type = config.backend().type();
    Optional<BackendFactory> f = find(type);
    return f.isEmpty()
        ? "backend " + type + " is not on the class path"
        : f.get().configProblem(config);
  }

  /** The factory of a type among those on the class path. */
  static Optional<BackendFactory> find(String type) {
    for (BackendFactory f : ServiceLoader.load(BackendFactory.class)) {
      if (f.type().equals(type)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
