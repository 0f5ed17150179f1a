package io.jflannel.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theCeilingDoublesToTheCapAndAResetStartsOver() {
    Backoff highest =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> bound - 1);
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ms.add(highest.next().toMillis());
    }
    assertThat(ms).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
    assertThat(highest.attempts()).isEqualTo(9);
    highest.reset();
    assertThat(highest.next()).isEqualTo(Duration.ofMillis(100));
    Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> 0);
    assertThat(lowest.next()).as("never below the floor").isEqualTo(Backoff.FLOOR);
  }

  @Test
  void delaysOfManyCallersAreSpreadOverTheWholeWindow() {
    Set<Long> fifth = new HashSet<>();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int c = 0; c < 200; c++) {
      Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
      long d = 0;
      for (int i = 0; i < 5; i++) {
        d = b.next().toMillis();
      }
      fifth.add(d);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isGreaterThanOrEqualTo(Backoff.FLOOR.toMillis());
    assertThat(max).isLessThanOrEqualTo(1600);
    assertThat(max - min)
        .as("the fifth delays of 200 callers span most of 10..1600 ms")
        .isGreaterThan(1200);
    assertThat(fifth).as("hardly two alike").hasSizeGreaterThan(150);
  }
}
