package io.jflannel.ctl;

import io.jflannel.agent.cli.Version;
import picocli.CommandLine;

/** jflanctl's --version. */
public final class CtlVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "jflanctl " + Version.get() + " (Java " + System.getProperty("java.version") + ")"
    };
  }
}
