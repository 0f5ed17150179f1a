package io.jflannel.lease.memory;

import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.RegistryWatch;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** One watch on the in-memory registry: delivers on its own thread, in order. */
final class MemoryWatch implements RegistryWatch {
  private final RegistryWatch.Listener listener;
  private final Consumer<MemoryWatch> onClose;
  private final ExecutorService executor;
  private volatile boolean closed;

  MemoryWatch(RegistryWatch.Listener listener, Consumer<MemoryWatch> onClose) {
    this.listener = listener;
    this.onClose = onClose;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jflannel-memregistry-watch");
              t.setDaemon(true);
              return t;
            });
  }

  void deliver(List<LeaseEvent> events, long revision) {
    if (!closed) {
      executor.execute(
          () -> {
            if (!closed) {
              listener.onEvents(events, revision);
            }
          });
    }
  }

  void compacted(long compactRevision) {
    executor.execute(
        () -> {
          if (!closed) {
            listener.onCompacted(compactRevision);
          }
        });
    executor.execute(this::close);
  }

  void fail(Throwable error) {
    onClose.accept(this);
    executor.execute(
        () -> {
          if (!closed) {
            listener.onError(error);
          }
        });
    executor.execute(this::close);
  }

  @Override
  public void close() {
    closed = true;
    onClose.accept(this);
    executor.shutdown();
  }
}
