package io.jflannel.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A {@link Batch} that collects {@link Request}s and hands them to an executor in one go. */
final class RequestBatch implements Batch {
  private final List<Request> requests = new ArrayList<>();
  private final Function<List<Request>, BatchResult> executor;

  RequestBatch(Function<List<Request>, BatchResult> executor) {
    this.executor = executor;
  }

  @Override
  public Batch replace(NetlinkObject o) {
    requests.add(Requests.replace(o));
    return this;
  }

  @Override
  public Batch delete(NetlinkObject o) {
    requests.add(Requests.delete(o));
    return this;
  }

  @Override
  public int size() {
    return requests.size();
  }

  @Override
  public BatchResult execute() {
    List<Request> all = List.copyOf(requests);
    requests.clear();
    return executor.apply(all);
  }
}
