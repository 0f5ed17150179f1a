package io.jflannel.e2e;

import org.junit.jupiter.api.BeforeAll;

/**
 * CNI pods over udp, with flanneld's own default: a network config without Backend (flanneld's code
 * picks udp), so this is also the mixed-config case of nodes that reach each other all on udp.
 */
class CniUdpIT extends CniPodsContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Network\":\"10.244.0.0/16\"}");
  }

  @Override
  int expectedMtu() {
    return 1472;
  }

  @Override
  int allowedRestartLoss() {
    return 200; // the udp data path is the agent: at 50/s, at most 4 s while it restarts
  }
}
