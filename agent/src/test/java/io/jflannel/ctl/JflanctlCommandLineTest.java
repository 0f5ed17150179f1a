package io.jflannel.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The command line without etcd or agent: only the named subcommand is registered, and whatever
 * names none (help, a typo, nothing) still sees every subcommand.
 */
class JflanctlCommandLineTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Jflanctl.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void theFirstWordNamesTheSubcommand() {
    assertThat(Jflanctl.named(new String[] {"leases", "-o", "wide"}))
        .isEqualTo(LeasesCommand.class);
    assertThat(Jflanctl.named(new String[] {"lease", "delete", "status"}))
        .isEqualTo(LeaseCommand.class);
    assertThat(Jflanctl.named(new String[] {"help", "leases"})).isNull();
    assertThat(Jflanctl.named(new String[] {"--help"})).isNull();
    assertThat(Jflanctl.named(new String[] {"leasez"})).isNull();
  }

  @Test
  void helpListsEverySubcommand() {
    assertThat(run("--help")).isZero();
    for (Class<?> c : Jflanctl.SUBCOMMANDS) {
      String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
      assertThat(out.toString()).contains("  " + name + " ");
    }
    assertThat(run("help", "leases")).isZero();
    assertThat(out.toString()).contains("Usage: jflanctl leases");
  }

  @Test
  void aGlobalFlagBeforeTheSubcommandStillWorksAndATypoIsAUsageError() {
    assertThat(run("--etcd-endpoints=http://127.0.0.1:1", "leases", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: jflanctl leases");
    assertThat(run("leasez")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("jflanctl: Unmatched argument");
  }
}
