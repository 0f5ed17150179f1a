package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.Ipv4Net;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubnetEnvTest {
  @Test
  void exactlyFlannelsFile(@TempDir Path dir) throws Exception {
    SubnetEnv env =
        new SubnetEnv(Ipv4Net.parse("10.244.0.0/16"), Ipv4Net.parse("10.244.1.0/24"), 1450, true);
    Path f = dir.resolve("run/flannel/subnet.env");
    env.writeTo(f);
    assertThat(Files.readString(f))
        .isEqualTo(
            "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r--r--");
    assertThat(SubnetEnv.previous(f).map(SubnetEnv::subnet))
        .contains(Ipv4Net.parse("10.244.1.0/24"));
    assertThat(SubnetEnv.parse(Files.readString(f))).isEqualTo(env);
    try (var s = Files.list(f.getParent())) {
      assertThat(s).containsExactly(f); // no temp file left behind
    }
  }

  @Test
  void missingOrGarbledFileGivesNoPreviousSubnet(@TempDir Path dir) throws Exception {
    assertThat(SubnetEnv.previous(dir.resolve("absent"))).isEmpty();
    Files.writeString(dir.resolve("bad"), "FLANNEL_SUBNET=nonsense\n");
    assertThat(SubnetEnv.previous(dir.resolve("bad"))).isEmpty();
  }
}
