package io.jflannel.e2e;

import org.junit.jupiter.api.BeforeAll;

/** The Docker host end to end over udp. */
class DockerUdpIT extends DockerHostContract {
  @BeforeAll
  static void start() throws Exception {
    boot("{\"Type\":\"udp\"}");
  }

  @Override
  int expectedMtu() {
    return 1472;
  }

  @Override
  int allowedAgentRestartLoss() {
    return 200; // the udp data path is the agent: at 50/s, at most 4 s while it restarts
  }
}
