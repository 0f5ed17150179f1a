package io.jflannel.ctl;

/** Small formatting helpers shared by the commands. */
final class Outputs {
  private Outputs() {}

  /** "in 3h5m", "in 40s". */
  static String relative(long seconds) {
    return "in " + span(seconds);
  }

  /** "3h5m ago", "40s ago". */
  static String ago(long seconds) {
    return span(seconds) + " ago";
  }

  /** "3h5m", "40s". */
  static String span(long seconds) {
    if (seconds >= 3600) {
      long m = seconds % 3600 / 60;
      return seconds / 3600 + "h" + (m > 0 ? m + "m" : "");
    }
    return seconds >= 60 ? seconds / 60 + "m" : Math.max(0, seconds) + "s";
  }
}
