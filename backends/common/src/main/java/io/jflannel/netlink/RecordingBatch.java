package io.jflannel.netlink;

import java.util.ArrayList;
import java.util.List;

/** {@link Batch} of {@link RecordingNetlink}: applies every write in order, collecting failures. */
final class RecordingBatch implements Batch {
  private final RecordingNetlink target;
  private final List<Request> ops = new ArrayList<>();

  RecordingBatch(RecordingNetlink target) {
    this.target = target;
  }

  @Override
  public Batch replace(NetlinkObject o) {
    ops.add(Requests.replace(o));
    return this;
  }

  @Override
  public Batch delete(NetlinkObject o) {
    ops.add(Requests.delete(o));
    return this;
  }

  @Override
  public int size() {
    return ops.size();
  }

  @Override
  public BatchResult execute() {
    List<BatchResult.Failure> failures = new ArrayList<>();
    for (Request r : ops) {
      try {
        if (r.delete()) {
          target.delete(r.object());
        } else {
          target.replace(r.object());
        }
      } catch (NetlinkException e) {
        failures.add(new BatchResult.Failure(r.object(), r.delete(), e));
      }
    }
    int n = ops.size();
    ops.clear();
    return new BatchResult(n, failures);
  }
}
