package io.jflannel.ctl;

/**
 * One line of {@code jflanctl doctor}.
 *
 * @param level OK, WARN or FAIL
 * @param name what was checked ({@code ip_forward}, {@code etcd}, ...)
 * @param says what was found
 * @param fix what to do (empty when ok)
 * @param section the section of docs/troubleshooting.md (empty when ok)
 */
record DoctorCheck(Level level, String name, String says, String fix, String section) {
  /** How bad. */
  enum Level {
    OK,
    WARN,
    FAIL
  }

  static DoctorCheck ok(String name, String says) {
    return new DoctorCheck(Level.OK, name, says, "", "");
  }

  static DoctorCheck warn(String name, String says, String fix, String section) {
    return new DoctorCheck(Level.WARN, name, says, fix, section);
  }

  static DoctorCheck fail(String name, String says, String fix, String section) {
    return new DoctorCheck(Level.FAIL, name, says, fix, section);
  }

  /** {@code FAIL mtu: ... ; fix: ... (docs/troubleshooting.md#mtu)}. */
  String line() {
    return String.format("%-4s %-12s %s", level, name, says)
        + (fix.isEmpty() ? "" : "; fix: " + fix)
        + (section.isEmpty() ? "" : " (docs/troubleshooting.md#" + section + ")");
  }
}
