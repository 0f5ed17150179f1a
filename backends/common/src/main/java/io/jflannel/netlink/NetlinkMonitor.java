package io.jflannel.netlink;

/** A subscription to kernel change notifications; close it to stop. */
public interface NetlinkMonitor extends AutoCloseable {
  @Override
  void close();
}
