package io.jflannel.backend;

import io.jflannel.lease.Lease;
import io.jflannel.lease.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
   * NetworkConfigs}).
   */
  default String configProblem(NetworkConfig config) {
    return null;
  }

  /**
   * The options this backend takes in the network config's Backend object (flanneld's names), each
   * with the rule its value follows; any other option is warned about and ignored, as flanneld
   * ignores it ({@link NetworkConfigs}).
   */
  default List<BackendOption> options() {
    return List.of();
  }

  /**
   * Options flanneld knows for this backend that jflannel ignores, and why, e.g. {@code MacPrefix
   * -> "is a Windows-only option"}.
   */
  default Map<String, String> ignoredOptions() {
    return Map.of();
  }

  /**
   * True when a node of this backend's network can use a peer's lease of backend {@code leaseType}
   * (by default: the same backend).
   */
  default boolean acceptsLeaseOf(String leaseType) {
    return type().equals(leaseType);
  }

  /**
   * The devices this backend creates on a node of {@code config}'s network ({@code flannel.1},
   * {@code flannel-v6.1}, {@code flannel0}): what {@code jflanneld cleanup} deletes, with every
   * route, neighbour and FDB entry on them.
   */
  default List<String> devices(NetworkConfig config) {
    return List.of();
  }

  /**
   * The bytes this backend adds to a pod's packet on the wire ({@code vxlan}: 50, or 70 when the
   * network has IPv6; {@code udp}: 28; 0 for plain routes): the underlay's MTU less this is what
   * the pods get ({@code jflanctl doctor} checks it).
   */
  default int overhead(NetworkConfig config) {
    return 0;
  }

  /**
   * True when a device of this name and link kind ({@code vxlan}, {@code tun}) is one this backend
   * (or flanneld's of the same type) makes whatever the config: what cleanup removes when the
   * config of the run that made it is not known.
   */
  default boolean madeDevice(String name, String kind) {
    return false;
  }

  /** Every factory on the class path. */
  static List<BackendFactory> all() {
    List<BackendFactory> out = new ArrayList<>();
    ServiceLoader.load(BackendFactory.class).forEach(out::add);
    return out;
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
