package io.jflannel.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The few sysctls the agent reads and sets (of the calling process's network namespace). */
public final class Sysctl {
  private static final Path ROOT = Path.of("/proc/sys");

  private Sysctl() {}

  /** Reads a sysctl, e.g. {@code net/ipv4/ip_forward}. */
  public static String get(String key) {
    try {
      return Files.readString(ROOT.resolve(key)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read sysctl " + key.replace('/', '.') + ": " + e.getMessage(), e);
    }
  }

  /** Writes a sysctl. */
  public static void set(String key, String value) {
    try {
      Files.writeString(ROOT.resolve(key), value);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot set sysctl " + key.replace('/', '.') + "=" + value + ": " + e.getMessage(), e);
    }
  }

  /** net.ipv4.ip_forward is 1. */
  public static boolean ipForwarding() {
    return "1".equals(get("net/ipv4/ip_forward"));
  }

  /** Sets net.ipv4.ip_forward. */
  public static void setIpForwarding(boolean on) {
    set("net/ipv4/ip_forward", on ? "1" : "0");
  }

  /** Sets net.ipv4.conf.DEV.rp_filter (0 off, 1 strict, 2 loose). */
  public static void setRpFilter(String device, int mode) {
    set("net/ipv4/conf/" + device + "/rp_filter", Integer.toString(mode));
  }

  /** Sets net.ipv6.conf.DEV.accept_ra. */
  public static void setAcceptRa(String device, int mode) {
    set("net/ipv6/conf/" + device + "/accept_ra", Integer.toString(mode));
  }
}
