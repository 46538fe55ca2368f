package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import umontreal.ssj.rng.MRG32k3a;

/**
 * Random design programs run the same on the interpreter's fast path (arguments read from the
 * operand stack through a reused view, slot and long impls, the trace given that view and asked
 * once per primitive whether it records it) as on its reference path (arguments boxed into a new
 * array, every impl called on the array, the trace given a copy and asked at every call): the
 * same trace lines at the same simulated times, the same values returned, the same end time.
 * Two tasks on two cores run the program on one shared box, so locks contend and trylocks fail.
 * The trace leaves out a random set of primitives and may not want return values. The functions
 * compiled to bytecode give the same as the interpreter, faults included.
 */
final class InterpreterPathProperties {
  /** A generated design and what the trace leaves out. */
  record Program(String text, Set<String> untraced, boolean returnValues) {}

  private static final List<String> TRACEABLE = List.of("mix", "mix_boxed", "is_big", "pick",
      "tag", "cpu", "spin_lock", "spin_unlock", "mutex_lock", "mutex_unlock", "mutex_trylock",
      "range");

  @Provide
  Arbitrary<Program> programs() {
    Arbitrary<String> body = statements(2);
    return Combinators.combine(body, body, body,
        Arbitraries.of(TRACEABLE).set().ofMaxSize(5), Arbitraries.of(true, false))
        .as((h, m1, m2, untraced, ret) -> new Program("""
            design gen;
            int leaf(struct box *b, int y) {
                cpu(y & 511);
                return y * 3 + b->serial;
            }
            int helper(struct box *b, int x) {
            %s    return x;
            }
            int main(struct box *b, int x) {
            %s    x = helper(b, x);
            %s    return x;
            }
            """.formatted(h, m1, m2), untraced, ret));
  }

  private static Arbitrary<String> statements(int depth) {
    return statement(depth).list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l));
  }

  private static Arbitrary<String> statement(int depth) {
    Arbitrary<Long> c = Arbitraries.longs().between(0, 70_000);
    Arbitrary<Long> small = Arbitraries.longs().between(1, 4);
    List<Tuple.Tuple2<Integer, Arbitrary<String>>> choices = new ArrayList<>(List.of(
        Tuple.of(3, Combinators.combine(Arbitraries.of("mix", "mix_boxed"), c, c)
            .as((f, k, k2) -> "    x = " + f + "(x, " + k + ", x > " + k2 + ");\n")),
        Tuple.of(2, c.map(k -> "    cpu(" + (k % 2000) + "ns);\n")),
        Tuple.of(1, Arbitraries.just("    cpu(x & 1023);\n")),
        Tuple.of(2, c.map(k -> "    spin_lock(&b->spin); x = x + " + k
            + "; spin_unlock(&b->spin);\n")),
        Tuple.of(2, c.map(k -> "    mutex_lock(&b->lock); cpu(" + (k % 3000)
            + "ns); mutex_unlock(&b->lock);\n")),
        Tuple.of(1, c.map(k -> "    if (mutex_trylock(&b->lock)) { x = x + " + k
            + "; mutex_unlock(&b->lock); } else { x = x - 1; }\n")),
        Tuple.of(1, small.map(n -> "    for i in range(0, " + n + ") { x = x ^ (i << 17); }\n")),
        Tuple.of(1, c.map(k -> "    x = x + tag(pick(b, x), " + k + ");\n")),
        Tuple.of(1, Arbitraries.just("    b->value = b->value + x; x = x + b->value;\n")),
        Tuple.of(1, c.map(k -> "    x = x + leaf(b, x & " + k + ") - 1;\n")),
        Tuple.of(1, Arbitraries.just("    for e in chain(b) { x = x + e->serial; }\n")),
        // Divisions, and faults, each in a few cases only so that most programs run to their
        // end: division by zero (1 in 32), a NULL dereference (1 in 16), a loop that takes no
        // time (1 in 64).
        Tuple.of(1, small.map(n -> "    x = x + 1000000 / ((x & 3) + " + n + ");\n")),
        Tuple.of(1, Arbitraries.just("    if ((x & 31) == 7) { x = x / (x & 8); }\n")),
        Tuple.of(1, Arbitraries.just("    if ((x & 15) == 3) { x = x + b->next->id; }\n")),
        Tuple.of(1, c.map(k -> "    while (x > " + k + " && x < " + (k + 3000)
            + ") { x = x - 1; }\n")),
        Tuple.of(1, Arbitraries.just(
            "    if ((x & 63) == 5) { while (x != 0) { x = x | 1; } }\n"))));
    if (depth > 0) {
      Arbitrary<String> inner = Arbitraries.lazy(() -> statements(depth - 1));
      choices.add(Tuple.of(2, Combinators.combine(inner, inner).as((a, b) ->
          "    if (is_big(x)) {\n" + a + "    } else {\n" + b + "    }\n")));
    }
    @SuppressWarnings("unchecked")
    Tuple.Tuple2<Integer, Arbitrary<? extends String>>[] array = choices.toArray(Tuple.Tuple2[]::new);
    return Arbitraries.frequencyOf(array);
  }

  /** The test host and primitives of each kind of impl: long, slots, boxed. */
  private static Host host() {
    Host h = TestHost.host();
    Type box = h.type("box");
    h.primitive("mix").params(Type.INT, Type.INT, Type.BOOL).returns(Type.INT)
        .implLong((env, t, a) -> a.i(0) * 31 + a.i(1) + (a.bool(2) ? 0x12345 : 7)).add();
    h.primitive("mix_boxed").params(Type.INT, Type.INT, Type.BOOL).returns(Type.INT)
        .impl((env, t, a) -> (Long) a[0] * 31 + (Long) a[1] + ((Boolean) a[2] ? 0x12345 : 7))
        .add();
    h.primitive("is_big").params(Type.INT).returns(Type.BOOL)
        .implLong((env, t, a) -> a.i(0) > 0x10000 ? 1 : 0).add();
    h.primitive("pick").params(box, Type.INT).returns(box).implSlots((env, t, a) -> {
      t.busy(a.i(1) & 63);
      return a.ref(0);
    }).add();
    h.intField(box, "serial", o -> ((Box) o).value * 3 + ((Box) o).id);
    h.primitive("tag").params(box, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> ((Box) a.ref(0)).id * 1000 + a.i(1)).add();
    return h;
  }

  /** What a run gave: the trace, the values returned, the end time, the box's value. */
  record Outcome(List<String> trace, List<Object> results, long endNs, long boxValue,
      int recordsAsked, String fault) {}

  @Property(tries = 120)
  void fastPathEqualsReferencePath(@ForAll("programs") Program p) throws Exception {
    CompiledDesign d = DesignLibrary.compile("gen.design", p.text(), null, host());
    Outcome reference = run(d, p, true, true, false);
    Outcome fast = run(d, p, false, true, false);
    assertThat(fast.trace()).isEqualTo(reference.trace());
    assertThat(fast.results()).isEqualTo(reference.results());
    assertThat(fast.endNs()).isEqualTo(reference.endNs());
    assertThat(fast.boxValue()).isEqualTo(reference.boxValue());
    assertThat(fast.fault()).isEqualTo(reference.fault());
    // The fast path asks the trace about each primitive once per run (of the 12 the generator
    // uses; at most 13 with cpu's two overloads), the reference path at every call.
    assertThat(fast.recordsAsked()).isLessThanOrEqualTo(TRACEABLE.size() + 1);
  }

  /**
   * The functions compiled to bytecode run the same as the interpreter runs them, on its plain
   * path and with a perturbation delaying primitive calls (as {@code hunt} does): the same trace
   * lines, values, end time and box, and the same design fault, message, location and design
   * call stack, when the program faults.
   */
  @Property(tries = 100)
  void compiledEqualsInterpreted(@ForAll("programs") Program p) throws Exception {
    CompiledDesign d = DesignLibrary.compile("gen.design", p.text(), null, host());
    assertThat(d.interpretedFunctions()).isEmpty();
    for (boolean perturbed : new boolean[] {false, true}) {
      Outcome interpreted = run(d, p, false, true, perturbed);
      Outcome compiled = run(d, p, false, false, perturbed);
      assertThat(compiled.trace()).isEqualTo(interpreted.trace());
      assertThat(compiled.results()).isEqualTo(interpreted.results());
      assertThat(compiled.endNs()).isEqualTo(interpreted.endNs());
      assertThat(compiled.boxValue()).isEqualTo(interpreted.boxValue());
      assertThat(compiled.fault()).isEqualTo(interpreted.fault());
    }
    // The compiled code on the reference path calls every primitive the reference way.
    Outcome reference = run(d, p, true, true, false);
    Outcome compiledReference = run(d, p, true, false, false);
    assertThat(compiledReference.trace()).isEqualTo(reference.trace());
    assertThat(compiledReference.endNs()).isEqualTo(reference.endNs());
    assertThat(compiledReference.fault()).isEqualTo(reference.fault());
  }

  /**
   * Delays every third primitive call of a task by an amount set by its ordinal, the call's
   * first integer argument and the primitive's name: deterministic, so both runs get the same
   * delays if they make the same calls with the same arguments.
   */
  private static final class Delays implements Perturbation {
    @Override
    public long delayNs(Task t, long ordinal, String primitive) {
      return 0;
    }

    @Override
    public boolean observesArguments() {
      return true;
    }

    @Override
    public long delayNs(Task t, long ordinal, Primitive primitive, Object[] args) {
      if (ordinal % 3 != 0) {
        return 0;
      }
      long first = args.length > 0 && args[0] instanceof Long l ? l : 0;
      return (ordinal * 37 + (first & 255) + primitive.name().length()) % 700;
    }
  }

  private static Outcome run(CompiledDesign d, Program p, boolean reference, boolean interprets,
      boolean perturbed) {
    Scenario s = new Scenario(MachineSpec.of(2));
    RunEnv env = new RunEnv(new MRG32k3a());
    env.setReferencePath(reference);
    env.setInterprets(interprets);
    if (perturbed) {
      env.setPerturbation(new Delays());
    }
    env.setLocks(s.locks());
    Log log = new Log(p.untraced(), p.returnValues());
    env.setTrace(log);
    Box box = new Box(s.locks(), 7);
    DesignProgram a = new DesignProgram(env, d.function("main"), () -> new Object[] {box, 3L},
        0, 2);
    DesignProgram b = new DesignProgram(env, d.function("main"),
        () -> new Object[] {box, 0x20000L}, 50, 2);
    s.machine().spawn("A", a, 0);
    s.machine().spawn("B", b, 0);
    String fault = null;
    try {
      s.engine().runUntil(Scenario.END_NS);
    } catch (DesignFault e) {
      fault = e.location() + " " + e.getMessage();
    }
    List<Object> results = new ArrayList<>(a.results());
    results.addAll(b.results());
    return new Outcome(log.lines, results, s.engine().now(), box.value, log.asked, fault);
  }

  /**
   * Records "time task event" lines; a primitive's arguments rendered from the interpreter's
   * view on the fast path and from the boxed array on the reference path, the same way.
   */
  private static final class Log implements DesignTrace {
    final List<String> lines = new ArrayList<>();
    final Set<String> untraced;
    final boolean returnValues;
    int asked;

    Log(Set<String> untraced, boolean returnValues) {
      this.untraced = new HashSet<>(untraced);
      this.returnValues = returnValues;
    }

    @Override
    public void enter(Task t, String function, String location) {
      add(t, "enter " + function + " @" + location);
    }

    @Override
    public void exit(Task t, String function, Object ret) {
      add(t, "exit " + function + (returnValues ? " = " + describe(ret) : ""));
    }

    @Override
    public void primitive(Task t, String name, Object[] args, String location) {
      List<String> shown = new ArrayList<>();
      for (Object o : args) {
        shown.add(describe(o));
      }
      add(t, name + shown + " @" + location);
    }

    @Override
    public void primitive(Task t, Primitive p, Args args, String location) {
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < args.count(); i++) {
        shown.add(switch (args.kind(i)) {
          case Args.INT -> Long.toString(args.i(i));
          case Args.BOOL -> Boolean.toString(args.bool(i));
          default -> describe(args.ref(i));
        });
      }
      add(t, p.name() + shown + " @" + location);
    }

    @Override
    public boolean records(String name) {
      asked++;
      return !untraced.contains(name);
    }

    @Override
    public boolean recordsReturnValues() {
      return returnValues;
    }

    /** A box by its id (each run has its own box object), a lock by its name. */
    private static String describe(Object o) {
      return o instanceof Box b ? "box" + b.id : String.valueOf(o);
    }

    private void add(Task t, String what) {
      lines.add(t.machine().engine().now() + " " + t.name() + " " + what);
    }
  }
}
