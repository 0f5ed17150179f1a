package io.jflannel.agent.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Log level and format, and klog's flags of flanneld (-v=N read, the others ignored). */
public final class LogFlags {
  @Option(
      names = "--log-level",
      description = "error, warn, info, debug (default: ${DEFAULT-VALUE})",
      defaultValue = "info")
  String logLevel;

  @Option(
      names = "--log-format",
      description = "text, or json: one JSON object per line (default: ${DEFAULT-VALUE})",
      defaultValue = "text")
  String logFormat;

  @Option(
      names = "--v",
      hidden = true,
      description = "klog verbosity, as flanneld's -v=N: 4 or more means --log-level debug")
  Integer klogV;

  @Option(
      names = {"--vmodule", "--log_backtrace_at"},
      hidden = true,
      description = "klog flags of flanneld: accepted and ignored")
  List<String> klogIgnored = new ArrayList<>();

  /**
   * Configures logging as these flags say.
   *
   * @throws IllegalArgumentException naming a level or format that is none
   */
  public void configure() {
    String level = klogV != null && klogV >= 4 && "info".equals(logLevel) ? "debug" : logLevel;
    Logging.check(level, logFormat);
    Logging.configure(level, logFormat);
  }

  /** A one-shot command's logging (cleanup): warnings only, unless --log-level debug. */
  public void configureQuiet() {
    Logging.check(logLevel, logFormat);
    Logging.configure("debug".equalsIgnoreCase(logLevel) ? "debug" : "warn", logFormat);
  }

  /** True when klog flags were given that mean nothing here. */
  public boolean ignoredGiven() {
    return !klogIgnored.isEmpty();
  }
}
