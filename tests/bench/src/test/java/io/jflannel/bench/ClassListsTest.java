package io.jflannel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassListsTest {
  @Test
  void theUnionKeepsFirstSeenOrderEachEntryOnceAndGivesEveryClassItsOwnId() {
    List<String> agent =
        List.of(
            "# NOTE: Do not modify this file.",
            "java/lang/Object id: 0",
            "picocli/CommandLine id: 1",
            "@lambda-proxy io/jflannel/agent/Agent run ()V");
    List<String> ctl =
        List.of(
            "java/lang/Object id: 0",
            "io/jflannel/ctl/Jflanctl id: 1",
            "io/jflannel/ctl/LeasesCommand",
            "@lambda-proxy io/jflannel/agent/Agent run ()V",
            "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.Invokers$Holder invokeExact_MT L_L");
    assertThat(ClassLists.merge(List.of(agent, ctl)))
        .containsExactly(
            "java/lang/Object id: 1",
            "picocli/CommandLine id: 2",
            "@lambda-proxy io/jflannel/agent/Agent run ()V",
            "io/jflannel/ctl/Jflanctl id: 4",
            "io/jflannel/ctl/LeasesCommand",
            "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.Invokers$Holder invokeExact_MT L_L");
  }

  @Test
  void aCustomLoadersClassIsRefused() {
    List<String> list = List.of("a/B id: 7 super: 0 source: /tmp/x.jar");
    assertThatThrownBy(() -> ClassLists.merge(List.of(list)))
        .hasMessageContaining("custom class loader")
        .hasMessageContaining("a/B");
  }
}
