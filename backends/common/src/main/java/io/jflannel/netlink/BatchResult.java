package io.jflannel.netlink;

import java.util.List;

/**
 * What a {@link Batch} did: how many requests it sent and which of them the kernel refused.
 *
 * @param requests requests sent
 * @param failures the refused ones, in order, each with the kernel's error
 */
public record BatchResult(int requests, List<Failure> failures) {
  /** One refused request. */
  public record Failure(NetlinkObject object, boolean delete, NetlinkException error) {}

  /** Copies. */
  public BatchResult {
    failures = List.copyOf(failures);
  }

  /** True when every request succeeded. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** Requests that succeeded. */
  public int succeeded() {
    return requests - failures.size();
  }

  /** Throws the first failure (the others suppressed, at most 20), if any. */
  public void throwIfFailed() {
    if (failures.isEmpty()) {
      return;
    }
    NetlinkException first = failures.get(0).error();
    for (Failure f : failures.subList(1, Math.min(failures.size(), 21))) {
      if (f.error() != first) {
        first.addSuppressed(f.error());
      }
    }
    throw first;
  }
}
