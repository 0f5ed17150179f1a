package io.jflannel.lease.memory;

import io.jflannel.lease.ConfigListener;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.RegistryWatch;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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

  /** A listener for a config watch: only its errors come through the lease-watch path. */
  static RegistryWatch.Listener errorsTo(ConfigListener l) {
    return new RegistryWatch.Listener() {
      @Override
      public void onEvents(List<LeaseEvent> events, long revision) {}

      @Override
      public void onCompacted(long compactRevision) {}

      @Override
      public void onError(Throwable error) {
        l.onError(error);
      }
    };
  }

  /** Runs {@code task} on the watch's thread, in order, unless the watch is closed by then. */
  void call(Runnable task) {
    run(
        () -> {
          if (!closed) {
            task.run();
          }
        });
  }

  void deliver(List<LeaseEvent> events, long revision) {
    run(
        () -> {
          if (!closed) {
            listener.onEvents(events, revision);
          }
        });
  }

  void compacted(long compactRevision) {
    run(
        () -> {
          if (!closed) {
            listener.onCompacted(compactRevision);
          }
        });
    run(this::close);
  }

  /**
   * Hands a task to the watch's thread; nothing when the watch is closed, also when it closes while
   * the registry (a write of another client, under its lock) hands it over: the writer never sees
   * the closed watch's failure.
   */
  private void run(Runnable task) {
    if (!closed) {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        // closed meanwhile: its owner has stopped listening
      }
    }
  }

  void fail(Throwable error) {
    onClose.accept(this);
    run(
        () -> {
          if (!closed) {
            listener.onError(error);
          }
        });
    run(this::close);
  }

  @Override
  public void close() {
    closed = true;
    onClose.accept(this);
    executor.shutdown();
  }
}
