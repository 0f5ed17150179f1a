package io.jflannel.lease.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files as openssl writes them in each form, read without etcd. */
class PemKeysTest {
  @TempDir Path dir;

  Path openssl(String out, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl: " + text).isZero();
    return dir.resolve(out);
  }

  @Test
  void pkcs1Pkcs8AndEcKeysAreRead() throws Exception {
    Path pkcs1 = openssl("rsa1.key", "genrsa", "-traditional", "-out", "rsa1.key", "2048");
    assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemKeys.privateKey(pkcs1).getAlgorithm()).isEqualTo("RSA");
    Path pkcs8 = openssl("rsa8.key", "genpkey", "-algorithm", "RSA", "-out", "rsa8.key");
    assertThat(PemKeys.privateKey(pkcs8).getAlgorithm()).isEqualTo("RSA");
    Path ec = openssl("ec.key", "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key");
    assertThat(Files.readString(ec)).contains("BEGIN EC PARAMETERS", "BEGIN EC PRIVATE KEY");
    assertThat(PemKeys.privateKey(ec).getAlgorithm()).isEqualTo("EC");
    Path ec384 =
        openssl(
            "ec384.key", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "ec384.key");
    assertThat(PemKeys.privateKey(ec384).getAlgorithm()).isEqualTo("EC");
    Path ec8 =
        openssl("ec8.key", "pkcs8", "-topk8", "-nocrypt", "-in", "ec.key", "-out", "ec8.key");
    assertThat(((java.security.interfaces.ECPrivateKey) PemKeys.privateKey(ec8)).getS())
        .as("the same key read from SEC1 and from PKCS#8")
        .isEqualTo(((java.security.interfaces.ECPrivateKey) PemKeys.privateKey(ec)).getS());
  }

  @Test
  void whatCannotBeUsedIsOneLineNamingFileAndForm() throws Exception {
    Path enc =
        openssl(
            "enc.key",
            "genpkey",
            "-algorithm",
            "RSA",
            "-aes256",
            "-pass",
            "pass:x",
            "-out",
            "enc.key");
    assertThatThrownBy(() -> PemKeys.privateKey(enc))
        .hasMessage(
            "etcd TLS key "
                + enc
                + " is encrypted (ENCRYPTED PRIVATE KEY): give an unencrypted key (openssl pkey -in KEY -out KEY.plain)");
    Path cert =
        openssl(
            "c.pem",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "/dev/null",
            "-out",
            "c.pem",
            "-subj",
            "/CN=x",
            "-days",
            "1");
    assertThatThrownBy(() -> PemKeys.privateKey(cert))
        .hasMessage(
            "etcd TLS key "
                + cert
                + " holds no private key (found CERTIFICATE; want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    Path junk = Files.writeString(dir.resolve("junk.key"), "hello");
    assertThatThrownBy(() -> PemKeys.privateKey(junk))
        .hasMessageContaining("holds no private key (no PEM block;");
  }
}
