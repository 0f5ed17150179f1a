package io.jflannel.lease.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.jflannel.lease.ConfigListener;
import io.jflannel.lease.RegistryWatch;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The network config key followed by one read and a watch from that read's revision (with {@code
 * requireLeader}, as the lease watch): the agent learns a config change within the watch's latency
 * and sends etcd nothing while idle. The first error ends it; the owner starts another. Listener
 * calls come from the client's threads, serialized by this watch.
 */
final class EtcdConfigWatch implements RegistryWatch, ConnectionWatch {
  private final ByteSequence key;
  private final ConfigListener listener;
  private final Consumer<EtcdConfigWatch> onClose;
  private Watch.Watcher watcher;
  private boolean closed;

  EtcdConfigWatch(
      KV kv, Watch watch, String key, ConfigListener listener, Consumer<EtcdConfigWatch> onClose) {
    this.key = EtcdLeaseRegistry.bytes(key);
    this.listener = listener;
    this.onClose = onClose;
    kv.get(this.key).whenComplete((r, e) -> read(watch, r, e));
  }

  /** The read's answer: delivered, then the watch from its revision (created outside our lock). */
  private void read(Watch watch, GetResponse r, Throwable e) {
    if (e != null) {
      fail(e);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      listener.onConfig(
          r.getKvs().stream().findFirst().map(k -> k.getValue().toString(StandardCharsets.UTF_8)));
    }
    WatchOption opt =
        WatchOption.builder()
            .withRevision(r.getHeader().getRevision() + 1)
            .withRequireLeader(true)
            .build();
    Watch.Watcher w =
        watch.watch(key, opt, Watch.listener(this::onNext, this::fail, () -> fail(completed())));
    boolean late;
    synchronized (this) {
      late = closed;
      watcher = late ? null : w;
    }
    if (late) {
      w.close();
    }
  }

  private static Throwable completed() {
    return new IllegalStateException("etcd config watch completed by the server");
  }

  private synchronized void onNext(WatchResponse r) {
    if (closed) {
      return;
    }
    for (WatchEvent e : r.getEvents()) {
      listener.onConfig(
          e.getEventType() == WatchEvent.EventType.PUT
              ? Optional.of(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))
              : Optional.empty());
    }
  }

  @Override
  public void fail(Throwable error) {
    synchronized (this) {
      if (closed) {
        return;
      }
      listener.onError(error);
    }
    close();
  }

  /** Ends the watch; the client's lock is never taken under ours (its callbacks take ours). */
  @Override
  public void close() {
    Watch.Watcher w;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      w = watcher;
    }
    onClose.accept(this);
    if (w != null) {
      w.close();
    }
  }
}
