package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.machine.SimulationException;
import faultsim.workload.InputException;
import org.junit.jupiter.api.Test;

/**
 * Faults while a design runs stop the run with a {@link DesignFault} naming the statement
 * ({@code file:line:column}), the design call stack innermost first, and what went wrong.
 */
final class DesignFaultTest {
  private static final String DESIGN = """
      design faults;
      void release(struct box *b) {
          mutex_unlock(&b->lock);
      }
      void outer(struct box *b) {
          cpu(1us);
          release(b);
      }
      int no_return(int x) {
          if (x > 0) { return 1; }
      }
      void forever() {
          int i = 0;
          while (true) { i = i + 1; }
      }
      int divide(int a, int b) { return a / b; }
      int deref(struct box *b) { return b->next->value; }
      void negative_cpu() { cpu(0 - 5); }
      int recurse(int n) { return recurse(n + 1); }
      """;

  private static CompiledDesign design() throws InputException {
    return TestHost.compile(DESIGN);
  }

  @Test
  void mutexUnlock_notHeld_faultNamesStatementAndStack() throws InputException {
    // outer computes 1 us, then release() unlocks a mutex nobody holds: the lock's fault, at
    // 1000 ns, wrapped with the statement (line 3, col 5) and the stack release <- outer.
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    assertThatThrownBy(() -> r.call(design(), "outer", box))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.location()).isEqualTo("test.design:3:5");
          assertThat(f.designStack()).containsExactly(
              "release (test.design:3)", "outer (test.design:7)");
          assertThat(f.getMessage()).isEqualTo("""
              test.design:3:5: mutex_unlock: task T at 1000 ns: mutex_unlock(&box->lock) but \
              the lock is held by nobody
                at release (test.design:3)
                at outer (test.design:7)""");
          assertThat(f.getCause()).isInstanceOf(SimulationException.class);
        })
        .isInstanceOf(SimulationException.class);
  }

  @Test
  void missingReturn_faultsAtTheClosingBrace() throws InputException {
    // no_return(0) falls off the end: the closing brace is line 11, col 1.
    Runs r = Runs.zeroCost();
    assertThatThrownBy(() -> r.call(design(), "no_return", 0L))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.location()).isEqualTo("test.design:11:1");
          assertThat(f.detail()).isEqualTo(
              "task T at 0 ns: 'no_return' reached its end without returning a int");
          assertThat(f.designStack()).containsExactly("no_return (test.design:11)");
        });
  }

  @Test
  void missingReturn_notReached_returnsNormally() throws InputException {
    assertThat(Runs.zeroCost().call(design(), "no_return", 3L)).isEqualTo(1L);
  }

  @Test
  void loopWithoutTimePassing_faultsAfterAMillionIterations() throws InputException {
    Runs r = Runs.zeroCost();
    assertThatThrownBy(() -> r.call(design(), "forever"))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.location()).startsWith("test.design:14:");
          assertThat(f.detail()).startsWith("task T at 0 ns: ran 1000000 loop iterations without"
              + " simulated time passing");
          assertThat(f.designStack()).containsExactly("forever (test.design:14)");
        });
  }

  @Test
  void divisionByZero_faults() throws InputException {
    Runs r = Runs.zeroCost();
    assertThat(r.call(design(), "divide", 7L, 2L)).isEqualTo(3L);
    assertThatThrownBy(() -> Runs.zeroCost().call(design(), "divide", 7L, 0L))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.location()).isEqualTo("test.design:16:28");
          assertThat(f.detail()).isEqualTo("task T at 0 ns: division by zero");
        });
  }

  @Test
  void nullDereference_faults() throws InputException {
    // b->next is NULL: reading ->value of it.
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    assertThatThrownBy(() -> r.call(design(), "deref", box))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.location()).isEqualTo("test.design:17:28");
          assertThat(f.detail()).isEqualTo(
              "task T at 0 ns: NULL dereference: reading ->value of a NULL struct box *");
        });
  }

  @Test
  void primitiveRejectsArgument_faultWrapsItsMessage() throws InputException {
    Runs r = Runs.zeroCost();
    assertThatThrownBy(() -> r.call(design(), "negative_cpu"))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.location()).isEqualTo("test.design:18:23");
          assertThat(f.detail()).isEqualTo(
              "task T at 0 ns: cpu: T: cpu time must be >= 0, was -5 ns");
          assertThat(f.getCause()).isInstanceOf(IllegalArgumentException.class);
        });
  }

  @Test
  void runawayRecursion_faultsAtTheDepthLimit() throws InputException {
    Runs r = Runs.zeroCost();
    assertThatThrownBy(() -> r.call(design(), "recurse", 0L))
        .isInstanceOfSatisfying(DesignFault.class, f -> {
          assertThat(f.detail()).contains("design calls nested 1000 deep");
          assertThat(f.designStack()).hasSize(DesignCall.MAX_DEPTH + 1);
        });
  }
}
