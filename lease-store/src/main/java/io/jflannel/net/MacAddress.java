package io.jflannel.net;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A 48-bit Ethernet address. Textual form is lower-case colon-separated hex, as the kernel and
 * flannel's VtepMAC print it: {@code c6:d2:32:6f:8f:44}.
 *
 * @param bytes the six octets (defensively copied)
 */
public record MacAddress(byte[] bytes) {

  private static final HexFormat HEX = HexFormat.ofDelimiter(":");

  /** Copies and checks the length. */
  public MacAddress {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  /**
   * Parses {@code aa:bb:cc:dd:ee:ff} (either case).
   *
   * @throws IllegalArgumentException naming the text when it is malformed
   */
  public static MacAddress parse(String text) {
    if (text == null || text.length() != 17) {
      throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
    }
    try {
      return new MacAddress(HEX.parseHex(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a MAC address: \"" + text + "\"", e);
    }
  }

  /** A random locally administered unicast address, as the kernel picks for a new device. */
  public static MacAddress randomLocal(RandomGenerator random) {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    b[0] = (byte) ((b[0] & 0xfe) | 0x02);
    return new MacAddress(b);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HEX.formatHex(bytes);
  }
}
