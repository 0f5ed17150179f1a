package io.jflannel.backend;

import io.jflannel.lease.BackendConfig;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A network config as the agent and {@code jflanctl config validate|set} take it: flannel's format
 * ({@link NetworkConfig#parse}), then the Backend object by its own backend's rules (the options it
 * declares, {@link BackendFactory#options}; the options flanneld ignores, warned about; the
 * backend's other checks, {@link BackendFactory#configProblem}). One function, so both give the
 * same verdict on every config.
 */
public final class NetworkConfigs {
  private NetworkConfigs() {}

  /**
   * Parses and checks {@code json}.
   *
   * @throws ConfigException naming every problem, flannel's and the backend's
   */
  public static NetworkConfig parse(String json) {
    NetworkConfig c;
    try {
      c = NetworkConfig.parse(json);
    } catch (ConfigException e) { // the backend's problems too, all in one verdict
      List<String> all = new ArrayList<>(e.problems());
      BackendConfig b = NetworkConfig.backendOf(json);
      if (b != null) {
        all.addAll(options(b, new ArrayList<>()));
      }
      throw new ConfigException(all);
    }
    return check(c);
  }

  /**
   * {@code c} checked by its backend, the backend's warnings added.
   *
   * @throws ConfigException naming every problem of the Backend object
   */
  public static NetworkConfig check(NetworkConfig c) {
    List<String> warnings = new ArrayList<>();
    List<String> problems = options(c.backend(), warnings);
    if (problems.isEmpty()) {
      String p = BackendFactory.find(c.backend().type()).orElseThrow().configProblem(c);
      if (p != null) {
        problems.add(p);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return c.withWarnings(warnings);
  }

  /**
   * The problems of a Backend object by its backend's rules; its warnings go to {@code warnings}.
   */
  private static List<String> options(BackendConfig backend, List<String> warnings) {
    String type = backend.type();
    Optional<BackendFactory> f = BackendFactory.find(type);
    if (f.isEmpty()) {
      TreeSet<String> known = new TreeSet<>();
      for (BackendFactory x : BackendFactory.all()) {
        known.add(x.type());
      }
      return new ArrayList<>(
          List.of(
              "Backend.Type: \""
                  + type
                  + "\" is not supported by jflannel ("
                  + String.join(", ", known)
                  + ")"));
    }
    List<String> problems = new ArrayList<>();
    BackendFactory b = f.get();
    Map<String, String> ignored = b.ignoredOptions();
    for (var it = backend.options().fields(); it.hasNext(); ) {
      var e = it.next();
      String name = e.getKey();
      if (name.equalsIgnoreCase("Type")) {
        continue;
      }
      Optional<BackendOption> o =
          b.options().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst();
      if (o.isPresent()) {
        String why = o.get().problem(e.getValue());
        if (why != null) {
          problems.add(why);
        }
        continue;
      }
      String reason =
          ignored.entrySet().stream()
              .filter(x -> x.getKey().equalsIgnoreCase(name))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse("is not an option of the " + type + " backend");
      warnings.add("Backend." + name + " " + reason + ": ignored, as flanneld ignores it");
    }
    return problems;
  }
}
