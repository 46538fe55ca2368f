package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.workload.InputException;
import org.junit.jupiter.api.Test;

/**
 * Overriding one function of a design changes that function's behaviour and nothing else:
 * {@code test_base} has {@code a()} calling {@code b()} then {@code c()}; {@code b} adds 1 to
 * {@code box->value}, {@code c} multiplies it by 10 and returns 1.
 */
final class OverrideTest {
  private static final String CHILD = """
      design child extends test_base;
      // c first adds 100, then does what the base did, and returns one more
      int c(struct box *x) {
          x->value = x->value + 100;
          return super.c(x) + 1;
      }
      """;

  @Test
  void base_aCallsBThenC() throws InputException {
    // value 0 -> b: 1 -> c: 10; a returns c's 1.
    CompiledDesign base = DesignLibrary.load("test_base", null, TestHost.host());
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    assertThat(r.call(base, "a", box)).isEqualTo(1L);
    assertThat(box.value).isEqualTo(10);
  }

  @Test
  void child_overridesC_bUnchangedAndCChangedThroughTheBasesA() throws InputException {
    // value 0 -> b (base's): 1 -> c (child's): 101 -> super.c: 1010, returns 1 -> child's c
    // returns 2, and so does a (the base's a calls the most-derived c).
    CompiledDesign child = TestHost.compile(CHILD);
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    assertThat(r.call(child, "a", box)).isEqualTo(2L);
    assertThat(box.value).isEqualTo(1010);
    assertThat(child.function("a").design()).isEqualTo("test_base");
    assertThat(child.function("b").design()).isEqualTo("test_base");
    assertThat(child.function("c").design()).isEqualTo("child");
    assertThat(child.base()).isEqualTo("test_base");
  }

  @Test
  void child_bAloneBehavesAsInTheBase() throws InputException {
    CompiledDesign child = TestHost.compile(CHILD);
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    box.value = 41;
    r.call(child, "b", box);
    assertThat(box.value).isEqualTo(42);
  }

  @Test
  void grandchild_superChainsThroughEveryLevel() throws InputException {
    // child_file.design extends test_base (c: +100, super, +1); this one: c = super.c * 3.
    // a: b -> 1, c: child's c: 101 -> 1010, returns 2; * 3 = 6.
    String grandchild = """
        design grandchild extends "child_file.design";
        int c(struct box *x) { return super.c(x) * 3; }
        """;
    CompiledDesign g = TestHost.compile(grandchild);
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    assertThat(r.call(g, "a", box)).isEqualTo(6L);
    assertThat(box.value).isEqualTo(1010);
    assertThat(g.source()).extracting(SourceText::design)
        .containsExactly("grandchild", "child_file", "test_base");
    assertThat(g.source().get(2).file()).isEqualTo("builtin:test_base");
  }
}
