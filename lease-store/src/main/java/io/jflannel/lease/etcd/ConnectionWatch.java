package io.jflannel.lease.etcd;

/** A watch on the registry's connection, ended when the connection is replaced. */
interface ConnectionWatch {
  /** Ends the watch with {@code error}: its listener hears it once. */
  void fail(Throwable error);
}
