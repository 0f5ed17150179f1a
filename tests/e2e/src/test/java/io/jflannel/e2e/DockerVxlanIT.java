package io.jflannel.e2e;

import org.junit.jupiter.api.BeforeAll;

/** The Docker host end to end over vxlan. */
class DockerVxlanIT extends DockerHostContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"vxlan\"}");
  }

  @Override
  int expectedMtu() {
    return 1450;
  }
}
