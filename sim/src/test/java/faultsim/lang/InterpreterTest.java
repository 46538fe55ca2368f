package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.machine.MachineSpec;
import faultsim.machine.Program;
import faultsim.machine.Task;
import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What design code computes: operators, literals, control flow, calls, fields, cursors. */
final class InterpreterTest {
  private static final String DESIGN = """
      design interp;
      int arith() {
          return 1 + 2 * 3 - 8 / 4 % 3 + (7 << 2) - (64 >> 3) + (6 & 3) + (6 | 1) + (6 ^ 3)
              + ~0 + -(-2);
      }
      int units() { return 200ns + 1us + 2ms + 1s + 4k + 2M + 0x10; }
      bool logic(int a, int b) { return a < b && !(a == b) || false; }
      bool bump(struct box *b) { b->value = b->value + 1; return true; }
      int short_circuit(struct box *b) {
          if (false && bump(b)) { }
          if (true || bump(b)) { }
          if (true && bump(b)) { }
          if (0 || 2) { b->value = b->value + 10; }
          return b->value;
      }
      int loops() {
          int s = 0;
          for i in range(0, 10) {
              if (i == 3) continue;
              if (i == 7) break;
              s = s + i;
          }
          int j = 0;
          while (j < 5) {
              j = j + 1;
              for k in range(0, 100) { if (k == 2) { break; } }
          }
          return s * 100 + j;
      }
      int fib(int n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }
      int named() { return nr_boxes * BOX_MAX + VM_FAULT_RETRY; }
      bool is_null(struct box *b) { return b == NULL; }
      bool has_next(struct box *b) { return b->next != NULL; }
      int sum_chain(struct box *b) {
          int s = 0;
          for x in chain(b) { s = s + x->id; }
          return s;
      }
      void fields(struct box *b) {
          b->ready = !b->ready;
          b->value = (b->value | 0x100) - 1;
      }
      void sample() {
          dist d = uniform(100ns, 100ns);
          cpu(d);
          cpu(const(50ns));
          cpu(lognormal(1us, 0ns));
      }
      bool slow_true() { cpu(1us); return true; }
      int slow_int(int x) { cpu(1us); return x; }
      int both(struct box *b) {
          if (mutex_trylock(&b->lock) && slow_true()) {
              mutex_unlock(&b->lock);
              return 1;
          }
          return 0;
      }
      int sum3() { return slow_int(1) + slow_int(2) * slow_int(3); }
      int negative() { long x = -5; unsigned long y = 3; return x % y; }
      int mix(struct box *b, int x, int y) { return b->id * 1000 + x * 10 + y; }
      """;

  private static Object call(String fn, Object... args) throws InputException {
    return Runs.zeroCost().call(TestHost.compile(DESIGN), fn, args);
  }

  @Test
  void arithmetic_hasCPrecedence() throws InputException {
    // 1 + 6 - (8/4 % 3 = 2) + 28 - 8 + 2 + 7 + 5 + (-1) + 2 = 40
    assertThat(call("arith")).isEqualTo(40L);
    assertThat(call("negative")).isEqualTo(-2L);
  }

  @Test
  void units_areNanosecondsAndBytes() throws InputException {
    // 200 + 1000 + 2,000,000 + 1,000,000,000 + 4096 + 2,097,152 + 16
    assertThat(call("units")).isEqualTo(1_004_102_464L);
  }

  @Test
  void logic_andShortCircuit() throws InputException {
    assertThat(call("logic", 1L, 2L)).isEqualTo(true);
    assertThat(call("logic", 2L, 2L)).isEqualTo(false);
    // Only the third condition calls bump (+1); "0 || 2" is true (+10).
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    assertThat(r.call(TestHost.compile(DESIGN), "short_circuit", box)).isEqualTo(11L);
  }

  @Test
  void loops_breakAndContinue() throws InputException {
    // s = 0 + 1 + 2 + 4 + 5 + 6 = 18; the inner break leaves only the inner loop: j = 5.
    assertThat(call("loops")).isEqualTo(1805L);
  }

  @Test
  void recursion_andNamedValues() throws InputException {
    assertThat(call("fib", 15L)).isEqualTo(610L);
    // 3 * 16 + 0x400
    assertThat(call("named")).isEqualTo(1072L);
  }

  @Test
  void nullAndCursors() throws InputException {
    Runs r = Runs.zeroCost();
    CompiledDesign d = TestHost.compile(DESIGN);
    Box a = r.box(1);
    Box b = r.box(20);
    Box c = r.box(300);
    a.next = b;
    b.next = c;
    assertThat(r.call(d, "is_null", (Object) null)).isEqualTo(true);
    assertThat(Runs.zeroCost().call(d, "is_null", a)).isEqualTo(false);
    assertThat(Runs.zeroCost().call(d, "has_next", a)).isEqualTo(true);
    assertThat(Runs.zeroCost().call(d, "has_next", c)).isEqualTo(false);
    assertThat(Runs.zeroCost().call(d, "sum_chain", a)).isEqualTo(321L);
  }

  @Test
  void fieldAssignment_goesThroughTheHostSetters() throws InputException {
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    box.value = 1;
    r.call(TestHost.compile(DESIGN), "fields", box);
    assertThat(box.ready).isTrue();
    assertThat(box.value).isEqualTo(0x100);
  }

  @Test
  void distributions_sampleTheirTimes() throws InputException {
    // uniform(100ns, 100ns) is 100 ns, const 50 ns, a lognormal with no spread its mean 1 us.
    Runs r = Runs.zeroCost();
    DesignProgram p = r.spawn("T", 0, TestHost.compile(DESIGN), "sample");
    r.runAll();
    assertThat(p.finishTimes()).containsExactly(1_150L);
  }

  @Test
  void suspension_inTheMiddleOfAnExpression() throws InputException {
    // Default costs, one core. mutex_trylock: a never-written line is fetched from memory, 82
    // -> result read at 82 (1); slow_true computes 1 us -> 1082; the unlock is local, 5 ->
    // returns 1 at 1087.
    Runs r = new Runs(MachineSpec.of(1));
    Box box = r.box(1);
    DesignProgram p = r.spawn("T", 0, TestHost.compile(DESIGN), "both", box);
    r.runAll();
    assertThat(p.results()).containsExactly(1L);
    assertThat(p.finishTimes()).containsExactly(1_087L);
    // Three calls of 1 us each, their values combined after the last: 1 + 2 * 3.
    Runs r2 = Runs.zeroCost();
    DesignProgram q = r2.spawn("T", 0, TestHost.compile(DESIGN), "sum3");
    r2.runAll();
    assertThat(q.results()).containsExactly(7L);
    assertThat(q.finishTimes()).containsExactly(3_000L);
  }

  @Test
  void callStack_whileSuspended_namesEachFrameInnermostFirst() throws InputException {
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = Runs.zeroCost();
    DesignCall call = new DesignCall(r.env);
    List<List<String>> stacks = new ArrayList<>();
    Program p = t -> {
      if (!call.running()) {
        if (call.finished()) {
          t.exit();
          return;
        }
        call.start(d.function("sum3"));
      }
      call.step(t);
      stacks.add(call.callStack());
    };
    r.s.machine().spawn("T", p, 0);
    r.runAll();
    // sum3 is on line 58, slow_int's cpu(1us) on line 50.
    assertThat(stacks.get(0)).containsExactly("slow_int (test.design:50)", "sum3 (test.design:58)");
    assertThat(stacks.get(stacks.size() - 1)).isEmpty();
    assertThat(call.returnValue()).isEqualTo(7L);
  }

  @Test
  void start_checksArguments() throws InputException {
    CompiledDesign d = TestHost.compile(DESIGN);
    DesignCall call = new DesignCall(Runs.zeroCost().env);
    assertThatThrownBy(() -> call.start(d.function("fib")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 arguments");
    assertThatThrownBy(() -> call.start(d.function("fib"), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 1 of int fib(int) must be a int, given String");
    assertThatThrownBy(call::returnValue).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> d.function("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("design interp has no function 'nope'");
  }

  @Test
  void start_objectAndTwoInts_givesWhatTheBoxedStartGives() throws InputException {
    // mix(b, 7, 3) with b->id 4 is 4 * 1000 + 7 * 10 + 3 = 4073, the ints passed unboxed or
    // boxed; fib(int) is not of a host object and two ints, so it gets the boxed start's checks.
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = Runs.zeroCost();
    Box box = r.box(4);
    DesignCall call = new DesignCall(r.env);
    Program p = t -> {
      if (!call.running()) {
        if (call.finished()) {
          t.exit();
          return;
        }
        call.start(d.function("mix"), box, 7, 3);
      }
      call.step(t);
    };
    r.s.machine().spawn("T", p, 0);
    r.runAll();

    assertThat(call.returnValue()).isEqualTo(4073L);
    assertThat(Runs.zeroCost().call(d, "mix", r.box(4), 7L, 3L)).isEqualTo(4073L);
    assertThatThrownBy(() -> new DesignCall(r.env).start(d.function("fib"), box, 1, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 arguments");
    assertThatThrownBy(() -> new DesignCall(r.env).start(d.function("mix"), "x", 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("argument 1 of int mix(struct box *, int, int) must be a");
  }

  @Test
  void requireFunction_checksTheSignature() throws InputException {
    CompiledDesign d = TestHost.compile(DESIGN);
    assertThat(d.requireFunction("fib", Type.INT, Type.INT).signature()).isEqualTo("int fib(int)");
    assertThatThrownBy(() -> d.requireFunction("fib", Type.BOOL, Type.INT))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(
            e.diagnostics().get(0).toString()).isEqualTo("test.design:30:5: design interp: fib"
                + " must be declared bool fib(int), found int fib(int)"));
    assertThatThrownBy(() -> d.requireFunction("do_read_fault", Type.INT))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(
            e.diagnostics().get(0).toString()).isEqualTo("test.design:1:8: design interp does"
                + " not define do_read_fault; it must define int do_read_fault()"));
  }
}
