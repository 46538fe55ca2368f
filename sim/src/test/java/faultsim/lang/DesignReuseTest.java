package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.workload.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A design file is read on every load, and compiled again only when the text of some file in
 * its chain has changed: {@code child.design} extends {@code mid.design}, which extends the
 * built-in {@code test_base} ({@code a()} calls {@code b()} then {@code c()}; {@code b} adds 1
 * to {@code box->value}, {@code c} multiplies it by 10).
 */
final class DesignReuseTest {
  private static final String MID = """
      design mid extends test_base;
      void b(struct box *x) { x->value = x->value + 2; }
      """;

  private static String child(int add) {
    return "design child extends \"mid.design\";\n"
        + "int c(struct box *x) { x->value = x->value + " + add + "; return super.c(x); }\n";
  }

  /** {@code a()} of {@code d} on a box holding 0: the value it leaves. */
  private static long valueAfterA(CompiledDesign d) throws InputException {
    Runs r = Runs.zeroCost();
    Box box = r.box(1);
    r.call(d, "a", box);
    return box.value;
  }

  @Test
  void sameText_sameCompiledDesign_anEditAnywhereInTheChain_compiledAgain(@TempDir Path dir)
      throws IOException, InputException {
    Path mid = dir.resolve("mid.design");
    Path child = dir.resolve("child.design");
    Files.writeString(mid, MID);
    Files.writeString(child, child(100));
    String path = child.toString();
    Host host = TestHost.host();

    CompiledDesign first = DesignLibrary.load(path, null, host);
    // 0 -> mid's b: 2 -> child's c: 102 -> test_base's c: 1020.
    assertThat(valueAfterA(first)).isEqualTo(1020);
    assertThat(DesignLibrary.load(path, null, host)).isSameAs(first);
    // Against another host (its types and primitives), the same text is compiled again.
    assertThat(DesignLibrary.load(path, null, TestHost.host())).isNotSameAs(first);

    // The leaf edited: 0 -> 2 -> 202 -> 2020.
    Files.writeString(child, child(200));
    CompiledDesign edited = DesignLibrary.load(path, null, host);
    assertThat(edited).isNotSameAs(first);
    assertThat(valueAfterA(edited)).isEqualTo(2020);

    // The base in the middle edited, the leaf not: 0 -> 3 -> 203 -> 2030.
    Files.writeString(mid, MID.replace("+ 2;", "+ 3;"));
    CompiledDesign baseEdited = DesignLibrary.load(path, null, host);
    assertThat(baseEdited).isNotSameAs(edited);
    assertThat(valueAfterA(baseEdited)).isEqualTo(2030);

    // Back to the first texts: compiled again or not, the first program runs.
    Files.writeString(mid, MID);
    Files.writeString(child, child(100));
    assertThat(valueAfterA(DesignLibrary.load(path, null, host))).isEqualTo(1020);
  }

  @Test
  void sameTextUnderAnotherName_compiledForThatName(@TempDir Path dir)
      throws IOException, InputException {
    // Locations in messages and traces name the file a design was read from, so a copy of the
    // same text under another name is a design of its own.
    Files.writeString(dir.resolve("mid.design"), MID);
    Path one = dir.resolve("one.design");
    Path two = dir.resolve("two.design");
    Files.writeString(one, child(100));
    Files.writeString(two, child(100));
    Host host = TestHost.host();
    CompiledDesign a = DesignLibrary.load(one.toString(), null, host);
    CompiledDesign b = DesignLibrary.load(two.toString(), null, host);
    assertThat(b).isNotSameAs(a);
    assertThat(valueAfterA(b)).isEqualTo(valueAfterA(a)).isEqualTo(1020);
  }
}
