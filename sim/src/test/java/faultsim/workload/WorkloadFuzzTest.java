package faultsim.workload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Workload loader fuzzing: any text is either a workload or an {@link InputException} whose
 * diagnostics name the file (with a line and column inside it, as the text has lines), never
 * another exception, and never a model too large for the heap. Under {@code mvn verify} Jazzer
 * runs the inputs in {@code WorkloadFuzzTestInputs/anyText_loadsOrIsALocatedInputError/}
 * (regression mode: every bad input the command-line tests use, and valid examples);
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
final class WorkloadFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyText_loadsOrIsALocatedInputError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      Workload w = new WorkloadLoader().parse("fuzz.yaml", text, List.of());
      if (ModelSize.runsThatFit(w) < 1) {
        throw new AssertionError("a workload that does not fit in the heap was accepted");
      }
    } catch (InputException e) {
      if (e.diagnostics().isEmpty()) {
        throw new AssertionError("an InputException without diagnostics for: " + text);
      }
      for (Diagnostic d : e.diagnostics()) {
        if (!d.file().equals("fuzz.yaml") || d.line() < 1 || d.column() < 1) {
          throw new AssertionError("not located in the file: " + d + " for: " + text);
        }
      }
    }
  }
}
