package io.jflannel.lease;

import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * flannel's {@code subnet.env} (flannel's four variables), read by Docker ({@code --bip}) and
 * flannel's CNI plugin.
 *
 * @param network FLANNEL_NETWORK
 * @param subnet the leased subnet; FLANNEL_SUBNET is its first address with the prefix
 * @param mtu FLANNEL_MTU
 * @param ipMasq FLANNEL_IPMASQ
 */
public record SubnetEnv(Ipv4Net network, Ipv4Net subnet, int mtu, boolean ipMasq) {

  /** The file's text, exactly flannel's four lines. */
  public String format() {
    return "FLANNEL_NETWORK="
        + network
        + "\n"
        + "FLANNEL_SUBNET="
        + subnet.addressAt(1)
        + "/"
        + subnet.prefixLength()
        + "\n"
        + "FLANNEL_MTU="
        + mtu
        + "\n"
        + "FLANNEL_IPMASQ="
        + ipMasq
        + "\n";
  }

  /**
   * Parses the file's text.
   *
   * @throws IllegalArgumentException naming the first missing or malformed variable
   */
  public static SubnetEnv parse(String text) {
    Map<String, String> vars = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        vars.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    Ipv4Net network = Ipv4Net.parse(require(vars, "FLANNEL_NETWORK"));
    String s = require(vars, "FLANNEL_SUBNET");
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("FLANNEL_SUBNET is not address/prefix: \"" + s + "\"");
    }
    int len = Integer.parseInt(s.substring(slash + 1));
    Ipv4Address a = Ipv4Address.parse(s.substring(0, slash));
    Ipv4Net subnet = new Ipv4Net(new Ipv4Address(a.value() & Ipv4Net.mask(len)), len);
    int mtu = Integer.parseInt(vars.getOrDefault("FLANNEL_MTU", "0"));
    return new SubnetEnv(
        network, subnet, mtu, Boolean.parseBoolean(vars.getOrDefault("FLANNEL_IPMASQ", "false")));
  }

  /** The subnet a previous run wrote to {@code file}, if the file exists and is readable. */
  public static Optional<Ipv4Net> previousSubnet(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)).subnet());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes the file atomically (temp file, then rename), mode 0644. */
  public void writeTo(Path file) throws IOException {
    AtomicFile.write(file, format(), "rw-r--r--");
  }

  private static String require(Map<String, String> vars, String name) {
    String v = vars.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(name + " missing in subnet.env");
    }
    return v;
  }
}
