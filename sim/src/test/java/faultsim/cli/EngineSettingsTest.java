package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.fault.KernelRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The engine's experimental settings: a bad value is bad input, named, with exit status 2. */
final class EngineSettingsTest {
  private static int run(String property, String value, StringWriter err) throws Exception {
    return faultsim.TestProperties.with(property, value, () -> Main.execute(
        new String[] {"designs"}, new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true)));
  }

  @Test
  void speculateNs_notANumber_isBadInput() throws Exception {
    StringWriter err = new StringWriter();
    assertThat(run(KernelRun.SPECULATE_PROPERTY, "20us", err)).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("faultsim: -Dfaultsim.speculateNs: expected a"
        + " whole number of nanoseconds >= 0, got '20us'");
  }

  @Test
  void speculateNs_negative_isBadInput() throws Exception {
    StringWriter err = new StringWriter();
    assertThat(run(KernelRun.SPECULATE_PROPERTY, "-5", err)).isEqualTo(2);
    assertThat(err.toString()).contains("got '-5'").doesNotContain("Exception");
  }

  @Test
  void intrinsicOrder_notABoolean_isBadInput() throws Exception {
    StringWriter err = new StringWriter();
    assertThat(run(KernelRun.INTRINSIC_ORDER_PROPERTY, "yes", err)).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo(
        "faultsim: -Dfaultsim.intrinsicOrder: expected true or false, got 'yes'");
  }

  @Test
  void validSettings_run() throws Exception {
    assertThat(run(KernelRun.SPECULATE_PROPERTY, "20000", new StringWriter())).isEqualTo(0);
  }
}
