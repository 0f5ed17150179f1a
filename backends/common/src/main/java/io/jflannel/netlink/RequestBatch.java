package io.jflannel.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A {@link Batch} that collects {@link Request}s and hands them to an executor in one go. */
final class RequestBatch implements Batch {
  private final List<Request> requests = new ArrayList<>();
  private final Consumer<List<Request>> executor;

  RequestBatch(Consumer<List<Request>> executor) {
    this.executor = executor;
  }

  @Override
  public Batch replaceRoute(Route r) {
    requests.add(Requests.replaceRoute(r));
    return this;
  }

  @Override
  public Batch deleteRoute(Route r) {
    requests.add(Requests.deleteRoute(r));
    return this;
  }

  @Override
  public Batch replaceNeighbour(Neighbour n) {
    requests.add(Requests.replaceNeighbour(n));
    return this;
  }

  @Override
  public Batch deleteNeighbour(Neighbour n) {
    requests.add(Requests.deleteNeighbour(n));
    return this;
  }

  @Override
  public Batch replaceFdb(FdbEntry f) {
    requests.add(Requests.replaceFdb(f));
    return this;
  }

  @Override
  public Batch deleteFdb(FdbEntry f) {
    requests.add(Requests.deleteFdb(f));
    return this;
  }

  @Override
  public int size() {
    return requests.size();
  }

  @Override
  public void execute() {
    executor.accept(List.copyOf(requests));
    requests.clear();
  }
}
