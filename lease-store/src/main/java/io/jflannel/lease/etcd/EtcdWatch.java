package io.jflannel.lease.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.jflannel.lease.Lease;
import io.jflannel.lease.LeaseEvent;
import io.jflannel.lease.LeaseKeys;
import io.jflannel.lease.RegistryWatch;
import io.jflannel.lease.SubnetKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * One etcd watch on the lease keys, with {@code requireLeader} so a member cut off from its cluster
 * ends the watch instead of going silent. Every event of every response is delivered (flanneld
 * reads only the first), on one thread of our own, in order.
 */
final class EtcdWatch implements RegistryWatch, ConnectionWatch {
  private final RegistryWatch.Listener listener;
  private final java.util.function.Consumer<EtcdWatch> onClose;
  private final Function<KeyValue, Optional<Lease>> decode;
  private final LeaseKeys keys;
  private final ExecutorService executor;
  private final Watch.Watcher watcher;
  private volatile boolean closed;

  EtcdWatch(
      Watch watch,
      LeaseKeys keys,
      long fromRevision,
      RegistryWatch.Listener listener,
      Function<KeyValue, Optional<Lease>> decode,
      java.util.function.Consumer<EtcdWatch> onClose) {
    this.listener = listener;
    this.onClose = onClose;
    this.decode = decode;
    this.keys = keys;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jflannel-etcd-watch");
              t.setDaemon(true);
              return t;
            });
    WatchOption opt =
        WatchOption.builder()
            .isPrefix(true)
            .withRevision(fromRevision)
            .withPrevKV(true)
            .withRequireLeader(true)
            .withProgressNotify(true)
            .build();
    this.watcher =
        watch.watch(
            EtcdLeaseRegistry.bytes(keys.subnetsPrefix()),
            opt,
            new Watch.Listener() {
              @Override
              public void onNext(WatchResponse r) {
                List<LeaseEvent> events = convert(r);
                long rev = r.getHeader().getRevision();
                submit(() -> listener.onEvents(events, rev));
              }

              @Override
              public void onError(Throwable t) {
                if (t instanceof CompactedException c) {
                  submit(() -> listener.onCompacted(c.getCompactedRevision()));
                } else {
                  submit(() -> listener.onError(t));
                }
                submit(EtcdWatch.this::close);
              }

              @Override
              public void onCompleted() {
                submit(
                    () ->
                        listener.onError(
                            new IllegalStateException("etcd watch completed by the server")));
                submit(EtcdWatch.this::close);
              }
            });
  }

  private List<LeaseEvent> convert(WatchResponse r) {
    List<LeaseEvent> out = new ArrayList<>(r.getEvents().size());
    for (WatchEvent e : r.getEvents()) {
      KeyValue kv = e.getKeyValue();
      if (e.getEventType() == WatchEvent.EventType.PUT) {
        decode.apply(kv).ifPresent(l -> out.add(LeaseEvent.added(l)));
      } else if (e.getEventType() == WatchEvent.EventType.DELETE) {
        Optional<SubnetKey> subnet = keys.subnetsOf(kv.getKey().toString(StandardCharsets.UTF_8));
        if (subnet.isPresent()) {
          KeyValue prev = e.getPrevKV();
          Optional<Lease> last =
              prev == null || prev.getValue().isEmpty() ? Optional.empty() : decode.apply(prev);
          out.add(
              LeaseEvent.removed(
                  new Lease(
                      subnet.get().ipv4(),
                      last.map(Lease::attrs).orElse(null),
                      prev == null ? 0 : prev.getLease(),
                      null,
                      kv.getModRevision(),
                      subnet.get().ipv6())));
        }
      }
    }
    return out;
  }

  /** Ends the watch with {@code error} (the connection it runs on was replaced). */
  @Override
  public void fail(Throwable error) {
    submit(() -> listener.onError(error));
    submit(this::close);
  }

  private void submit(Runnable r) {
    if (!closed) {
      try {
        executor.execute(
            () -> {
              if (!closed) {
                r.run();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        // closed concurrently
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onClose.accept(this);
      try {
        watcher.close();
      } finally {
        executor.shutdown();
      }
    }
  }
}
