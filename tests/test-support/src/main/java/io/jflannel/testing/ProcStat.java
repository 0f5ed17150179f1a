package io.jflannel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of a process from /proc, for tests and benchmarks. */
public final class ProcStat {
  private ProcStat() {}

  /**
   * CPU of process {@code pid} and of the children it waited for (utime, stime, cutime, cstime:
   * fields 14-17 of proc(5)), in clock ticks of 1/100 s.
   */
  public static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
    return Long.parseLong(f[11])
        + Long.parseLong(f[12])
        + Long.parseLong(f[13])
        + Long.parseLong(f[14]);
  }

  /** A number from a process's /proc status, e.g. {@code VmRSS:} (kB) or {@code Threads:}. */
  public static long status(long pid, String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith(field)) {
        return Long.parseLong(l.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
  }
}
