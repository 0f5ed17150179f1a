package io.jflannel.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address held as a 32-bit big-endian integer.
 *
 * @param value the address, most significant octet first
 */
public record Ipv4Address(int value) implements IpAddress, Comparable<Ipv4Address> {
  // equals and hashCode are written out in the records the event path hashes and compares: the
  // generated ones link through a method-handle bootstrap that costs milliseconds per record class
  // on first use, which a cold start's first snapshot paid. RecordEqualityTest checks them.

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv4Address a && a.value == value;
  }

  @Override
  public int hashCode() {
    return value;
  }

  /**
   * Parses dotted-quad text such as {@code 198.18.0.1}; no host names, no shortened forms.
   *
   * @throws IllegalArgumentException naming the text when it is not a dotted quad
   */
  public static Ipv4Address parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("IPv4 address missing");
    }
    return parse(text, 0, text.length());
  }

  /**
   * Parses the dotted quad in {@code text} from {@code from} (inclusive) to {@code to} (exclusive)
   * without copying it: the lease path parses several addresses per lease of a snapshot.
   *
   * @throws IllegalArgumentException naming that part of the text when it is not a dotted quad
   */
  public static Ipv4Address parse(String text, int from, int to) {
    int v = 0;
    int octets = 0;
    int i = from;
    while (true) {
      int start = i;
      int octet = 0;
      while (i < to && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        octet = octet * 10 + text.charAt(i++) - '0';
      }
      if (i == start || octet > 255) {
        throw notAnAddress(text, from, to);
      }
      v = (v << 8) | octet;
      if (++octets == 4 || i == to || text.charAt(i) != '.') {
        break;
      }
      i++;
    }
    if (octets != 4 || i != to) {
      throw notAnAddress(text, from, to);
    }
    return new Ipv4Address(v);
  }

  private static IllegalArgumentException notAnAddress(String text, int from, int to) {
    return new IllegalArgumentException(
        "not an IPv4 address: \"" + text.substring(from, to) + "\"");
  }

  /** The address of four network-order bytes. */
  public static Ipv4Address of(byte[] bytes) {
    if (bytes.length != 4) {
      throw new IllegalArgumentException("an IPv4 address has 4 bytes, got " + bytes.length);
    }
    return new Ipv4Address(
        (bytes[0] & 0xff) << 24
            | (bytes[1] & 0xff) << 16
            | (bytes[2] & 0xff) << 8
            | bytes[3] & 0xff);
  }

  /** The address as four network-order bytes. */
  @Override
  public byte[] toBytes() {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  /** The address as a JDK {@link Inet4Address}. */
  public Inet4Address toInetAddress() {
    try {
      return (Inet4Address) InetAddress.getByAddress(toBytes());
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always a valid address
    }
  }

  @Override
  public int bits() {
    return 32;
  }

  /** The address {@code n} positions further (wrapping is the caller's concern). */
  public Ipv4Address plus(int n) {
    return new Ipv4Address(value + n);
  }

  @Override
  public int compareTo(Ipv4Address o) {
    return Integer.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return (value >>> 24)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }
}
