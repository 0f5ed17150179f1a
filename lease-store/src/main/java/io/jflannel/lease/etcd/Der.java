package io.jflannel.lease.etcd;

import java.io.ByteArrayOutputStream;

/** The little DER that {@link PemKeys} needs: writing a TLV, finding a SEQUENCE's [0] element. */
final class Der {
  private Der() {}

  /** Tag, definite length, value. */
  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write((n >> 8) & 0xff);
      out.write(n & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /**
   * The content of the {@code [0]} element directly inside the outer SEQUENCE of {@code der} (for
   * SEC1 keys: the curve's OID, tag and length included), or null.
   */
  static byte[] contextTag0(byte[] der) {
    int[] p = {0};
    if ((der[p[0]++] & 0xff) != 0x30) {
      return null;
    }
    int end = length(der, p) + p[0];
    while (p[0] < end) {
      int tag = der[p[0]++] & 0xff;
      int len = length(der, p);
      if (tag == 0xa0) {
        byte[] out = new byte[len];
        System.arraycopy(der, p[0], out, 0, len);
        return out;
      }
      p[0] += len;
    }
    return null;
  }

  private static int length(byte[] der, int[] p) {
    int b = der[p[0]++] & 0xff;
    if (b < 0x80) {
      return b;
    }
    int n = 0;
    for (int i = 0; i < (b & 0x7f); i++) {
      n = (n << 8) | (der[p[0]++] & 0xff);
    }
    return n;
  }
}
