package io.jflannel.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Batch} of {@link RecordingNetlink}: applies every write, then throws the first failure.
 */
final class RecordingBatch implements Batch {
  private final RecordingNetlink target;
  private final List<Runnable> ops = new ArrayList<>();

  RecordingBatch(RecordingNetlink target) {
    this.target = target;
  }

  @Override
  public Batch replaceRoute(Route r) {
    ops.add(() -> target.replaceRoute(r));
    return this;
  }

  @Override
  public Batch deleteRoute(Route r) {
    ops.add(() -> target.deleteRoute(r));
    return this;
  }

  @Override
  public Batch replaceNeighbour(Neighbour n) {
    ops.add(() -> target.replaceNeighbour(n));
    return this;
  }

  @Override
  public Batch deleteNeighbour(Neighbour n) {
    ops.add(() -> target.deleteNeighbour(n));
    return this;
  }

  @Override
  public Batch replaceFdb(FdbEntry f) {
    ops.add(() -> target.replaceFdb(f));
    return this;
  }

  @Override
  public Batch deleteFdb(FdbEntry f) {
    ops.add(() -> target.deleteFdb(f));
    return this;
  }

  @Override
  public int size() {
    return ops.size();
  }

  @Override
  public void execute() {
    NetlinkException first = null;
    for (Runnable op : ops) {
      try {
        op.run();
      } catch (NetlinkException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    ops.clear();
    if (first != null) {
      throw first;
    }
  }
}
