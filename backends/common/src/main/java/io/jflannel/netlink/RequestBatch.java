package io.jflannel.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A {@link Batch} that collects {@link Request}s and hands them to an executor: in one go at {@link
 * #execute()}, or in parts sent ahead by {@link #flush()} on a sender thread (one at a time, in
 * order) while the caller keeps adding.
 */
final class RequestBatch implements Batch {
  private final List<Request> requests = new ArrayList<>();
  private final Function<List<Request>, BatchResult> executor;
  private final Executor sender;
  private final List<CompletableFuture<BatchResult>> inFlight = new ArrayList<>();
  private int flushed;

  /** A batch sent by {@code executor}; {@code sender} (one thread, or null) runs flushed parts. */
  RequestBatch(Function<List<Request>, BatchResult> executor, Executor sender) {
    this.executor = executor;
    this.sender = sender;
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
    return flushed + requests.size();
  }

  @Override
  public void flush() {
    if (sender != null && !requests.isEmpty()) {
      List<Request> part = List.copyOf(requests);
      requests.clear();
      flushed += part.size();
      inFlight.add(CompletableFuture.supplyAsync(() -> executor.apply(part), sender));
    }
  }

  @Override
  public BatchResult execute() {
    if (inFlight.isEmpty()) {
      List<Request> all = List.copyOf(requests);
      requests.clear();
      return executor.apply(all);
    }
    flush();
    int total = 0;
    List<BatchResult.Failure> failures = new ArrayList<>();
    RuntimeException error = null;
    for (CompletableFuture<BatchResult> f : inFlight) {
      try {
        BatchResult r = f.join();
        total += r.requests();
        failures.addAll(r.failures());
      } catch (CompletionException e) {
        if (error == null) { // the first failure; the later parts were still waited for
          error = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
      }
    }
    inFlight.clear();
    flushed = 0;
    if (error != null) {
      throw error;
    }
    return new BatchResult(total, failures);
  }
}
