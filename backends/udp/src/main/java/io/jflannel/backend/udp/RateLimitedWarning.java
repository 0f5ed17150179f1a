package io.jflannel.backend.udp;

import org.slf4j.Logger;

/**
 * A warning logged at most once per period: data-path failures are counted every time (metrics) but
 * must not flood the log. Not thread-safe (one per event loop or handler).
 */
final class RateLimitedWarning {
  private static final long PERIOD_NANOS = 10_000_000_000L;
  private final Logger log;
  private final String what;
  private boolean logged;
  private long last;

  RateLimitedWarning(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Logs "{what}: {detail} (counted; logged at most every 10 s)" unless logged lately. */
  void warn(Object detail) {
    long now = System.nanoTime();
    if (!logged || now - last > PERIOD_NANOS) {
      logged = true;
      last = now;
      log.warn("{}: {} (counted; logged at most every 10 s)", what, detail);
    }
  }
}
