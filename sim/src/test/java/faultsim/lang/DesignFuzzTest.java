package faultsim.lang;

import com.code_intelligence.jazzer.junit.FuzzTest;
import faultsim.workload.InputException;
import java.nio.charset.StandardCharsets;

/**
 * Parser and checker fuzzing: any text is either a design or an {@link InputException} with
 * located diagnostics, never another exception. Under {@code mvn verify} Jazzer runs the seed
 * inputs in {@code DesignFuzzTestInputs/anyText_compilesOrIsAnInputError/} (regression mode);
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
final class DesignFuzzTest {
  private static final Host HOST = TestHost.host();

  @FuzzTest(maxDuration = "30s")
  void anyText_compilesOrIsAnInputError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      DesignLibrary.compile("fuzz.design", text, TestHost.RESOURCES, HOST);
    } catch (InputException e) {
      if (e.diagnostics().isEmpty()) {
        throw new AssertionError("an InputException without diagnostics for: " + text);
      }
    }
  }
}
