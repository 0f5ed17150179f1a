package io.jflannel.lease.etcd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client keys and certificates for etcd TLS in the PEM forms kubeadm, cfssl and openssl write:
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE
 * KEY}, with or without an {@code EC PARAMETERS} block before it). The last two are wrapped into
 * PKCS#8 (a few bytes of DER), which is what the JDK reads. A key that cannot be read gives one
 * line naming the file and the form found.
 */
public final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

  private PemKeys() {}

  /**
   * The private key in {@code file}.
   *
   * @throws IllegalArgumentException naming the file and what was found, when it cannot be used
   */
  public static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "etcd TLS key " + file + " is not readable: " + e.getMessage(), e);
    }
    List<String> seen = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      seen.add(type);
      String body = m.group(2);
      if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("Proc-Type: 4,ENCRYPTED")) {
        throw new IllegalArgumentException(
            "etcd TLS key "
                + file
                + " is encrypted ("
                + type
                + "): give an unencrypted key (openssl pkey -in KEY -out KEY.plain)");
      }
      switch (type) {
        case "PRIVATE KEY":
          return decode(file, type, der(body), "RSA", "EC");
        case "RSA PRIVATE KEY":
          return decode(file, type, pkcs8(RSA_ALGORITHM, der(body)), "RSA");
        case "EC PRIVATE KEY":
          byte[] sec1 = der(body);
          return decode(file, type, pkcs8(ecAlgorithm(file, sec1), sec1), "EC");
        default:
          // EC PARAMETERS (openssl ecparam -genkey writes it first) and certificates: skip
      }
    }
    throw new IllegalArgumentException(
        "etcd TLS key "
            + file
            + " holds no private key ("
            + (seen.isEmpty() ? "no PEM block" : "found " + String.join(", ", seen))
            + "; want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /** The certificate chain in {@code file}. */
  public static X509Certificate[] certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      f.generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            "etcd TLS certificate " + file + " holds no certificate");
      }
      return out.toArray(X509Certificate[]::new);
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          "etcd TLS certificate " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static PrivateKey decode(Path file, String type, byte[] pkcs8, String... algorithms) {
    GeneralSecurityException last = null;
    for (String a : algorithms) {
      try {
        return KeyFactory.getInstance(a).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new IllegalArgumentException(
        "etcd TLS key " + file + " (" + type + ") cannot be decoded: " + last.getMessage(), last);
  }

  private static byte[] der(String body) {
    StringBuilder b = new StringBuilder();
    for (String line : body.split("\n")) {
      if (!line.contains(":")) { // PEM headers such as DEK-Info have a colon
        b.append(line.strip());
      }
    }
    return Base64.getDecoder().decode(b.toString());
  }

  /** PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {2, 1, 0});
    body.writeBytes(algorithm);
    body.writeBytes(Der.tlv(0x04, key));
    return Der.tlv(0x30, body.toByteArray());
  }

  /** AlgorithmIdentifier { id-ecPublicKey, namedCurve } with the curve of the SEC1 key. */
  private static byte[] ecAlgorithm(Path file, byte[] sec1) {
    byte[] curve = Der.contextTag0(sec1);
    if (curve == null) {
      throw new IllegalArgumentException(
          "etcd TLS key "
              + file
              + " (EC PRIVATE KEY) names no curve: write it with its parameters");
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(EC_PUBLIC_KEY_OID);
    b.writeBytes(curve);
    return Der.tlv(0x30, b.toByteArray());
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }
}
