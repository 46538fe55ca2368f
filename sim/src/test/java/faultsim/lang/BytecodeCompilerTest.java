package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.workload.InputException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Design functions compiled to bytecode: which are, and what the split ones compute. */
final class BytecodeCompilerTest {
  /**
   * A function of {@code n} statements {@code x = x + i; cpu(1ns);} inside a loop run
   * {@code rounds} times: long enough, for large n, that its code is split into several methods,
   * with the loop's backward jump going from the last part to the first.
   */
  private static String longFunction(int n) {
    StringBuilder b = new StringBuilder("design long;\nint sum(int rounds) {\n"
        + "    int x = 0;\n    int r = 0;\n    while (r < rounds) {\n");
    for (int i = 1; i <= n; i++) {
      b.append("        x = x + ").append(i).append("; cpu(1ns);\n");
    }
    b.append("        r = r + 1;\n    }\n    return x;\n}\n");
    return b.toString();
  }

  @Test
  void longFunction_isSplitIntoMethodsTheJitCompiles_andComputesTheSame() throws InputException {
    int n = 600;
    CompiledDesign d = TestHost.compile(longFunction(n));
    assertThat(d.interpretedFunctions()).isEmpty();
    CompiledFunction code = d.table().get("sum").code.compiled;
    // 600 statements of about 30 bytes each: 18 kB, so at least three parts of under 8000.
    assertThat(Arrays.stream(code.getClass().getDeclaredMethods())
        .filter(m -> m.getName().startsWith("part")).count()).isGreaterThanOrEqualTo(3);
    for (boolean interprets : new boolean[] {false, true}) {
      Runs r = Runs.zeroCost();
      r.env.setInterprets(interprets);
      DesignProgram p = r.spawn("T", 0, d, "sum", 3L);
      r.runAll();
      // Three rounds of 1 + 2 + ... + 600 = 180300 each; one 1 ns cpu per statement and round.
      assertThat(p.results()).containsExactly(3L * n * (n + 1) / 2);
      assertThat(p.finishTimes()).containsExactly(3L * n);
    }
  }

  @Test
  void loopWithoutTime_faultsAtItsBackwardJump_inASplitFunction() throws InputException {
    // After 600 statements (several parts), a loop that takes no time: its budget of LOOP_LIMIT
    // iterations runs out at its backward jump, on line 604, compiled as interpreted.
    StringBuilder b = new StringBuilder("design spin;\nint f(int x) {\n    int y = 0;\n");
    for (int i = 1; i <= 600; i++) {
      b.append("    y = y + x * ").append(i).append(";\n");
    }
    b.append("    while (y != 0) { y = y | 1; }\n    return y;\n}\n");
    CompiledDesign d = TestHost.compile(b.toString());
    assertThat(d.interpretedFunctions()).isEmpty();
    for (boolean interprets : new boolean[] {false, true}) {
      Runs r = Runs.zeroCost();
      r.env.setInterprets(interprets);
      r.spawn("T", 0, d, "f", 1L);
      assertThatThrownBy(r::runAll).isInstanceOf(DesignFault.class)
          .hasMessageContaining("test.design:604:")
          .hasMessageContaining("ran " + DesignCall.LOOP_LIMIT + " loop iterations");
    }
  }

  @Test
  void everyFunctionOfTheTestDesigns_compiles() throws InputException {
    CompiledDesign d = TestHost.compile(longFunction(3));
    assertThat(d.interpretedFunctions()).isEmpty();
    CompiledFunction code = d.table().get("sum").code.compiled;
    // Short enough for one method: no parts.
    assertThat(Arrays.stream(code.getClass().getDeclaredMethods())
        .filter(m -> m.getName().startsWith("part"))).isEmpty();
  }
}
