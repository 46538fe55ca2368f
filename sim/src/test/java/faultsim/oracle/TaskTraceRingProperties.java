package faultsim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.lang.Args;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A primitive's arguments recorded as the interpreter holds them (longs and references copied
 * into the ring's slots) render exactly as the same arguments recorded boxed: integers in
 * decimal below 0x10000 and in hex from there, times with their unit for {@code cpu} and
 * {@code schedule_timeout}, booleans as true/false, references by their text, null as NULL.
 * Random steps, more of them than the ring holds, with calls wider than the ring's slots too.
 */
class TaskTraceRingProperties {
  /** One step: a primitive call (kinds and boxed values), a function entered or left, a note. */
  record Step(String what, String name, byte[] kinds, Object[] values) {}

  private static final String[] NAMES = {"cpu", "schedule_timeout", "pte_none", "spin_lock",
      "filemap_get_folio", "set_pte_at"};

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Object[]> arg = Arbitraries.oneOf(
        Arbitraries.longs().map(v -> new Object[] {Args.INT, v}),
        Arbitraries.longs().between(0xff00, 0x10100).map(v -> new Object[] {Args.INT, v}),
        Arbitraries.of(true, false).map(b -> new Object[] {Args.BOOL, b}),
        Arbitraries.strings().alpha().ofMaxLength(6)
            .injectNull(0.2).map(s -> new Object[] {Args.REF, s}));
    Arbitrary<Step> call = Combinators.combine(Arbitraries.of(NAMES),
        arg.list().ofMaxSize(TaskTrace.ARG_SLOTS + 2)).as((name, as) -> {
          byte[] kinds = new byte[as.size()];
          Object[] values = new Object[as.size()];
          for (int i = 0; i < kinds.length; i++) {
            kinds[i] = (Byte) as.get(i)[0];
            values[i] = as.get(i)[1];
          }
          return new Step("call", name, kinds, values);
        });
    Arbitrary<Step> other = Arbitraries.oneOf(
        Arbitraries.of("do_fault", "filemap_map_pages").map(f -> new Step("enter", f, null, null)),
        Arbitraries.just(new Step("exit", null, null, null)),
        Arbitraries.just(new Step("note", "punch_hole starts", null, null)));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, call),
        net.jqwik.api.Tuple.of(1, other)).list().ofMaxSize(TaskTrace.CAPACITY * 2);
  }

  @Property(tries = 300)
  void rawArgumentsRenderAsBoxedOnes(@ForAll("steps") List<Step> steps) {
    TaskTrace raw = new TaskTrace("t");
    TaskTrace boxed = new TaskTrace("t");
    long now = 0;
    for (Step s : steps) {
      now += 100;
      switch (s.what()) {
        case "call" -> {
          raw.primitive(now, s.name(), Args.of(s.kinds(), s.values()));
          boxed.primitive(now, s.name(), s.values().clone());
        }
        case "enter" -> {
          raw.enter(now, s.name());
          boxed.enter(now, s.name());
        }
        case "exit" -> {
          raw.exit();
          boxed.exit();
        }
        default -> {
          raw.note(now, s.name());
          boxed.note(now, s.name());
        }
      }
    }
    assertThat(render(raw)).isEqualTo(render(boxed));
  }

  @Property(tries = 50)
  void slotsAreNotSharedBetweenSteps(@ForAll("steps") List<Step> steps) {
    // Each step's arguments stay its own when later steps reuse the ring: the rendering of a
    // step recorded raw equals the rendering of that step recorded alone.
    TaskTrace ring = new TaskTrace("t");
    List<String> alone = new ArrayList<>();
    long now = 0;
    for (Step s : steps) {
      if (!s.what().equals("call")) {
        continue;
      }
      now += 100;
      ring.primitive(now, s.name(), Args.of(s.kinds(), s.values()));
      TaskTrace one = new TaskTrace("t");
      one.primitive(now, s.name(), s.values().clone());
      alone.add(one.steps(0, Long.MAX_VALUE).get(0).text());
    }
    List<String> kept = ring.steps(0, Long.MAX_VALUE).stream().map(TaskTrace.Step::text).toList();
    assertThat(kept).isEqualTo(alone.subList(alone.size() - kept.size(), alone.size()));
  }

  @Property(tries = 200)
  void keepsTheLastStepsInOrder(
      @ForAll @net.jqwik.api.constraints.IntRange(max = 3 * TaskTrace.CAPACITY) int n) {
    // Whatever the number of steps, before and after the ring wraps around, it keeps the last
    // min(n, CAPACITY) of them, oldest first. Step k is a note at time k.
    TaskTrace ring = new TaskTrace("t");
    for (int k = 1; k <= n; k++) {
      ring.note(k, "step " + k);
    }
    int kept = Math.min(n, TaskTrace.CAPACITY);
    List<String> expected = new ArrayList<>();
    for (int k = n - kept + 1; k <= n; k++) {
      expected.add(k + " # step " + k);
    }
    assertThat(ring.steps(0, Long.MAX_VALUE).stream().map(s -> s.timeNs() + " " + s.text()))
        .containsExactlyElementsOf(expected);
  }

  private static List<String> render(TaskTrace t) {
    return t.steps(0, Long.MAX_VALUE).stream()
        .map(s -> s.timeNs() + " " + s.stack() + " " + s.text()).toList();
  }
}
