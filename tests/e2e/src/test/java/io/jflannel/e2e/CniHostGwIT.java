package io.jflannel.e2e;

import org.junit.jupiter.api.BeforeAll;

/** CNI pods over host-gw. */
class CniHostGwIT extends CniPodsContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
  }

  @Override
  int expectedMtu() {
    return 1500;
  }
}
