package io.jflannel.agent;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Reads each flag's default from FLANNELD_&lt;FLAG&gt; (upper snake case), as flanneld does. */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      String env =
          "FLANNELD_"
              + o.longestName()
                  .replaceFirst("^--", "")
                  .replace('-', '_')
                  .toUpperCase(java.util.Locale.ROOT);
      String v = System.getenv(env);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return arg.defaultValue();
  }
}
