package io.jflannel.e2e;

import org.junit.jupiter.api.BeforeAll;

/** {@link VxlanContract} in the iptables mode, the default. */
class VxlanIT extends VxlanContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"vxlan\"}");
  }
}
