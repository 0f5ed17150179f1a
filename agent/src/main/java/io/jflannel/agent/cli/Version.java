package io.jflannel.agent.cli;

import picocli.CommandLine;

/** The version from the jar manifest. */
public final class Version implements CommandLine.IVersionProvider {
  /** The implementation version, or "dev". */
  public static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "jflanneld "
          + get()
          + " (flannel-compatible; Java "
          + System.getProperty("java.version")
          + ")"
    };
  }
}
