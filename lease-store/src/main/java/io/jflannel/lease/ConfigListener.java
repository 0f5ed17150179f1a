package io.jflannel.lease;

import java.util.Optional;

/**
 * Receives the network config key as {@link LeaseRegistry#watchConfig} follows it. Calls come from
 * the registry's client threads, one at a time and in order: hand the work to a thread of your own.
 */
public interface ConfigListener {
  /** The raw config at the start of the watch and after every change; empty when it is deleted. */
  void onConfig(Optional<String> raw);

  /** The watch ended (etcd unreachable, a compaction, the connection replaced): start another. */
  void onError(Throwable error);
}
