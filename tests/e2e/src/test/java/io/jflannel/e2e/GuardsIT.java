package io.jflannel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jflannel.testing.Cmd;
import io.jflannel.testing.NetnsCluster;
import io.jflannel.testing.Node;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's guards on one real node: two agents started at the same instant (exactly one runs,
 * the other exits with one line naming it and touches nothing of its), and an xtables lock held by
 * another process for 60 s (the rules step times out and says so, SIGTERM still exits within a
 * second, the rules are applied once the lock is free). Rounds of the first: {@code
 * -Djflannel.lock.rounds} (10 in the suite).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class GuardsIT {
  static final int ROUNDS = Integer.getInteger("jflannel.lock.rounds", 10);
  static NetnsCluster cluster;
  static Node n;

  @BeforeAll
  static void boot() throws Exception {
    Path jar = Path.of(System.getProperty("jflannel.agent.jar", "agent/target/missing.jar"));
    cluster =
        new NetnsCluster(
            1, jar, "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}");
    n = cluster.nodes().get(0);
    Files.createDirectories(n.dir());
  }

  @AfterAll
  static void teardown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Process start(File log, String... extra) throws Exception {
    return new ProcessBuilder(n.agentCommand(extra))
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  @Test
  @Order(1)
  void twoAgentsStartedAtOnceOnOneNodeLeaveExactlyOneRunning() throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      String port = round % 2 == 0 ? "0" : "8471"; // with and without the health listener
      File logA = n.dir().resolve("a.log").toFile();
      File logB = n.dir().resolve("b.log").toFile();
      Process a = start(logA, "--healthz-port", port);
      Process b = start(logB, "--healthz-port", port);
      String what = "round " + round;
      await().atMost(Duration.ofSeconds(30)).until(() -> !a.isAlive() || !b.isAlive());
      Process winner = a.isAlive() ? a : b;
      Process loser = winner == a ? b : a;
      File loserLog = winner == a ? logB : logA;
      assertThat(loser.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(loser.exitValue()).as(what).isEqualTo(1);
      String line = Files.readString(loserLog.toPath()).strip();
      assertThat(line)
          .as(what)
          .matches(
              "jflanneld: another jflanneld \\(pid \\d+\\) runs on this node \\(lock .*jflanneld.lock"
                  + " held\\): this one exits without touching it");
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(n.subnetFile()));
      Thread.sleep(500);
      assertThat(winner.isAlive()).as(what).isTrue();
      Cmd.Result status = n.jflanctl("status");
      assertThat(status.exit())
          .as(what + ": the winner's admin socket stays: " + status.out())
          .isZero();
      assertThat(status.out()).containsPattern("state: +READY");
      if (!port.equals("0")) {
        assertThat(Cmd.runIn(n.ns(), 5, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8471").exit())
            .as(what + ": the winner's health listener stays")
            .isZero();
      }
      winner.destroy(); // SIGTERM
      assertThat(winner.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(winner.exitValue()).isZero();
    }
  }

  /** Ends flock (which holds the lock) and its sleep. */
  static void release(Process holder) throws InterruptedException {
    holder.descendants().forEach(ProcessHandle::destroyForcibly);
    holder.destroyForcibly();
    holder.waitFor(5, TimeUnit.SECONDS);
  }

  @Test
  @Order(2)
  void anXtablesLockHeldForAMinuteNeitherHangsTheAgentNorItsSigterm() throws Exception {
    // a legacy iptables host (more legacy rules than nft ones): iptables-legacy takes the lock;
    // the lock is this test's own file (XTABLES_LOCKFILE), never the machine's /run/xtables.lock
    for (int i = 0; i < 20; i++) { // more than the nft rules an earlier agent left
      Cmd.in(n.ns(), "iptables-legacy", "-A", "INPUT", "-s", "198.18.9." + i, "-j", "ACCEPT");
    }
    Path lockFile = n.dir().resolve("xtables.lock");
    n.environment().put("XTABLES_LOCKFILE", lockFile.toString());
    Process holder =
        new ProcessBuilder("flock", "--close", lockFile.toString(), "sleep", "60") // flock holds it
            .redirectErrorStream(true)
            .start();
    try {
      Thread.sleep(300);
      long t0 = System.nanoTime();
      n.startAgent();
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () ->
                  assertThat(n.jflanctl("status").out())
                      .containsPattern("state: +DEGRADED")
                      .contains("iptables:")
                      .contains("xtables lock"));
      System.out.printf(
          "xtables lock held: DEGRADED after %.1f s%n", (System.nanoTime() - t0) / 1e9);
      assertThat(n.agent().isAlive()).isTrue();
      // SIGTERM while the resync step waits on the lock: out within a second
      Thread.sleep(1200);
      long s0 = System.nanoTime();
      n.agent().destroy();
      assertThat(n.agent().waitFor(2, TimeUnit.SECONDS)).as("exits within a second").isTrue();
      double stopS = (System.nanoTime() - s0) / 1e9;
      assertThat(stopS).isLessThan(1.0);
      assertThat(n.agent().exitValue()).isZero();
      n.startAgent();
      release(holder); // the lock is free: the rules are applied and the node is READY
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(n.jflanctl("status").out()).containsPattern("state: +READY");
                assertThat(Cmd.in(n.ns(), "iptables-legacy-save", "-t", "filter"))
                    .contains(
                        "-A FORWARD -m comment --comment \"flanneld forward\" -j FLANNEL-FWD");
              });
      System.out.printf("SIGTERM while stuck on the lock: exit in %.2f s%n", stopS);
    } finally {
      release(holder);
      n.stopAgent(false);
      n.environment().remove("XTABLES_LOCKFILE");
      Cmd.run(List.of("ip", "netns", "exec", n.ns(), "iptables-legacy", "-F", "INPUT"), 10);
    }
  }
}
