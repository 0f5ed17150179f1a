package io.jflannel.netlink;

/**
 * Writes collected and sent in as few syscalls as possible; every request is acknowledged and
 * checked individually. {@link #execute()} attempts all of them, then throws for the first failure
 * (naming its request), with the other failures suppressed.
 */
public interface Batch {
  /** Adds a route replace. */
  Batch replaceRoute(Route r);

  /** Adds a route delete. */
  Batch deleteRoute(Route r);

  /** Adds a neighbour replace. */
  Batch replaceNeighbour(Neighbour n);

  /** Adds a neighbour delete. */
  Batch deleteNeighbour(Neighbour n);

  /** Adds an FDB replace. */
  Batch replaceFdb(FdbEntry f);

  /** Adds an FDB delete. */
  Batch deleteFdb(FdbEntry f);

  /** Requests collected so far. */
  int size();

  /** Sends everything; throws the first failure after all were tried. */
  void execute();
}
