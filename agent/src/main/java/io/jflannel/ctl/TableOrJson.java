package io.jflannel.ctl;

import picocli.CommandLine.Option;

/** The {@code -o table|json} option of the node commands. */
final class TableOrJson {
  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  String output;

  /** True for json; throws a usage error for anything but table or json. */
  boolean json() {
    if (!output.equals("table") && !output.equals("json")) {
      throw new IllegalArgumentException("-o " + output + ": choose table or json");
    }
    return output.equals("json");
  }
}
