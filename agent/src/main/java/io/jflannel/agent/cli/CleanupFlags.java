package io.jflannel.agent.cli;

import picocli.CommandLine.Option;

/** The flags of {@code jflanneld cleanup} beside the agent's own. */
public final class CleanupFlags {
  @Option(
      names = "--release-lease",
      description =
          "with cleanup: also delete this node's lease in etcd (its subnet is free at once)")
  boolean releaseLease;

  @Option(names = "--dry-run", description = "with cleanup: only print what would be removed")
  boolean dryRun;

  /** --release-lease. */
  public boolean releaseLease() {
    return releaseLease;
  }

  /** --dry-run. */
  public boolean dryRun() {
    return dryRun;
  }

  /** True when either was given. */
  public boolean any() {
    return releaseLease || dryRun;
  }
}
