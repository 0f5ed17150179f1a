package io.jflannel.lease;

import java.util.List;

/** A running watch on lease keys; close it to stop. */
public interface RegistryWatch extends AutoCloseable {

  /** Receives watch results. Calls come from one thread per watch, in revision order. */
  interface Listener {
    /**
     * A batch of events of one store response, in order. An empty list is a progress notification.
     *
     * @param revision the store revision the batch brings the watcher to
     */
    void onEvents(List<LeaseEvent> events, long revision);

    /** The revision asked for was compacted; the watch has ended. Re-list and watch again. */
    void onCompacted(long compactRevision);

    /** The watch ended with an error; watch again (with backoff) from the last revision seen. */
    void onError(Throwable error);
  }

  @Override
  void close();
}
