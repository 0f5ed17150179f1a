package io.jflannel.agent.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Reads each flag's default from FLANNELD_&lt;FLAG&gt; (upper snake case), as flanneld does. */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> env;

  /** Defaults from the process environment. */
  public EnvDefaults() {
    this(System.getenv());
  }

  /** Defaults from {@code env} (tests). */
  public EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  /** The variable that holds {@code option}'s default: {@code FLANNELD_ETCD_ENDPOINTS}, ... */
  public static String variable(String option) {
    return "FLANNELD_"
        + option.replaceFirst("^--", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      String v = env.get(variable(o.longestName()));
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return arg.defaultValue();
  }
}
