package io.jflannel.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every tool run is bounded: no pipe can stall it, a stuck one is killed, SIGTERM kills it. */
class FirewallCommandTest {
  @AfterEach
  void resume() {
    FirewallCommand.resume();
  }

  @Test
  void aChildFloodingStderrAndStdoutCannotDeadlockIt() {
    long t0 = System.nanoTime();
    String out =
        FirewallCommand.run(
            List.of(
                "sh",
                "-c",
                "head -c 3000000 /dev/zero | tr '\\0' e >&2; head -c 3000000 /dev/zero | tr '\\0' o;"
                    + " echo"),
            "x".repeat(200_000)); // more than a pipe holds, unread by the child
    assertThat(out).hasSize(3_000_001);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aStuckChildIsKilledAtItsTimeoutWithTheReason() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> FirewallCommand.run(List.of("sleep", "30"), null, Duration.ofSeconds(1)))
        .isInstanceOf(FirewallCommand.StuckException.class)
        .hasMessage("sleep 30 did not finish within 1 s: killed");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void sigtermKillsARunningChildWithinASecondAndRunsNoMore() throws Exception {
    CompletableFuture<Throwable> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                FirewallCommand.run(List.of("sleep", "30"), null);
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    Thread.sleep(300);
    long t0 = System.nanoTime();
    FirewallCommand.stopAll();
    Throwable t = f.get(1, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(t)
        .isInstanceOf(FirewallCommand.StuckException.class)
        .hasMessageContaining("stopping");
    assertThatThrownBy(() -> FirewallCommand.run(List.of("true"), null))
        .hasMessage("true: not run, the agent is stopping");
  }

  @Test
  void aFailureCarriesTheCommandItsExitAndItsStderr() {
    assertThatThrownBy(
            () -> FirewallCommand.run(List.of("sh", "-c", "echo nope >&2; exit 4"), null))
        .isInstanceOf(FirewallCommand.ExitException.class)
        .hasMessage("sh -c echo nope >&2; exit 4 exited 4: nope");
    assertThatThrownBy(() -> FirewallCommand.run(List.of("/nonexistent/iptables-restore"), null))
        .hasMessageStartingWith("cannot run /nonexistent/iptables-restore: ");
    assertThat(FirewallCommand.tryRun(List.of("sh", "-c", "exit 3")).exit()).isEqualTo(3);
  }
}
