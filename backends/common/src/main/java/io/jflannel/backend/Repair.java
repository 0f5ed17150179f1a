package io.jflannel.backend;

import java.util.List;

/**
 * What one reconcile did: the drift it repaired and the drift it tried to repair but could not
 * (those stay drift; nothing failed is counted as repaired).
 *
 * @param repaired drift fixed
 * @param failed drift still there, each with its error in {@link PeerSync#problems()}
 */
public record Repair(List<Drift> repaired, List<Drift> failed) {
  /** Nothing to do. */
  public static final Repair NONE = new Repair(List.of(), List.of());

  /** Copies. */
  public Repair {
    repaired = List.copyOf(repaired);
    failed = List.copyOf(failed);
  }
}
