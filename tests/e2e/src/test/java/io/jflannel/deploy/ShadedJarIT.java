package io.jflannel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The one jar runs on x86_64 and arm64 nodes alike: it carries Netty's epoll native and jffi's
 * (jnr-ffi) for both, and no class of ours in Netty's packages.
 */
class ShadedJarIT {
  @Test
  void theJarCarriesTheNativesOfBothArchitectures() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    try (JarFile j = new JarFile(jar.toFile())) {
      for (String native_ :
          new String[] {
            "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
            "META-INF/native/libnetty_transport_native_epoll_aarch_64.so",
            "jni/x86_64-Linux/libjffi-1.2.so",
            "jni/aarch64-Linux/libjffi-1.2.so"
          }) {
        assertThat(j.getEntry(native_)).as(native_).isNotNull();
        assertThat(j.getEntry(native_).getSize()).as(native_).isGreaterThan(50_000);
      }
      assertThat(j.getEntry("io/netty/channel/epoll/EpollTunChannel.class"))
          .as("the TUN reader is on Netty's public IoHandle API now")
          .isNull();
      assertThat(j.getEntry("io/jflannel/backend/udp/TunReader.class")).isNotNull();
    }
  }
}
