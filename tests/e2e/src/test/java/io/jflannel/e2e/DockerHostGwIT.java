package io.jflannel.e2e;

import org.junit.jupiter.api.BeforeAll;

/** The Docker host end to end over host-gw. */
class DockerHostGwIT extends DockerHostContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"host-gw\"}");
  }

  @Override
  int expectedMtu() {
    return 1500;
  }
}
