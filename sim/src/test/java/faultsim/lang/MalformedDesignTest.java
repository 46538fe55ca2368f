package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a design can be wrong gives one located message saying what was expected. Each case
 * is a small design compiled as {@code test.design} against {@link TestHost}; lines and columns
 * are 1-based and point at the offending token (worked out in the comment next to each case).
 */
final class MalformedDesignTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // Line 1 ends after the name: the ';' is missing right after 'x' (col 9).
        bad("header without ';'", "design x\nvoid f() { }\n",
            "1:9: expected ';' after 'x'"),
        bad("no header", "void f() { }\n",
            "1:1: a design file starts with 'design NAME;', found 'void'"),
        bad("extends without a name", "design x extends;\n",
            "1:17: unexpected ';'; expected a name or a \"path.design\" string"),
        // The file ends inside f's body: EOF on line 4, col 1.
        bad("unterminated body", "design x;\nvoid f() {\n    cpu(1us);\n",
            "4:1: unexpected end of file; expected a statement or '}'"),
        // "    cpu(1us;": the ';' at col 12 comes where ')' is needed.
        bad("unclosed call", "design x;\nvoid f() {\n    cpu(1us;\n}\n",
            "3:12: expected ')' before ';'"),
        bad("unclosed condition", "design x;\nvoid f() {\n    if (1 { }\n}\n",
            "3:11: expected ')' before '{'"),
        // "    cpu(1us)" ends at col 12: the ';' belongs at col 13.
        bad("statement without ';'", "design x;\nvoid f() {\n    cpu(1us)\n    cpu(2us);\n}\n",
            "3:13: expected ';' after ')'"),
        bad("missing initialiser expression", "design x;\nvoid f() {\n    int a = ;\n}\n",
            "3:13: unexpected ';'; expected an expression"),
        bad("stray character", "design x;\nvoid f() {\n    cpu(1us) @;\n}\n",
            "3:14: unexpected character '@'"),
        bad("local without initialiser", "design x;\nvoid f() {\n    int n;\n}\n",
            "3:9: local 'n' needs an initialiser: int n = ...;"),
        bad("bad number unit", "design x;\nvoid f() {\n    cpu(4kx);\n}\n",
            "3:9: malformed number '4kx': " + Literals.EXPECTED),
        bad("unknown function", "design x;\nvoid f() {\n    frobnicate(1);\n}\n",
            "3:5: unknown function 'frobnicate'"),
        bad("misspelt primitive", "design x;\nvoid f(struct box *b) {\n    mutex_lok(&b->lock);\n}\n",
            "3:5: unknown function 'mutex_lok'; did you mean 'mutex_lock'?"),
        bad("unknown variable", "design x;\nint f() {\n    return cnt;\n}\n",
            "3:12: unknown variable 'cnt'"),
        bad("unknown constant", "design x;\nint f() {\n    return VM_FAULT_RETRI;\n}\n",
            "3:12: unknown variable 'VM_FAULT_RETRI'; did you mean 'VM_FAULT_RETRY'?"),
        // "    return b->valeu;": 'valeu' starts at col 15.
        bad("unknown field", "design x;\nint f(struct box *b) {\n    return b->valeu;\n}\n",
            "3:15: struct box has no field 'valeu'; did you mean 'value'?"),
        // "int f(struct foilo *b)": 'foilo' at col 14.
        bad("unknown type", "design x;\nint f(struct foilo *b) {\n    return 0;\n}\n",
            "2:14: unknown type 'foilo'"),
        bad("scalar as struct", "design x;\nvoid f(struct int *p) { }\n",
            "2:15: 'int' is not a struct type; write int"),
        bad("primitive arity", "design x;\nvoid f(struct box *b) {\n    mutex_lock(&b->lock, 1);\n}\n",
            "3:5: mutex_lock takes 1 argument, found 2"),
        bad("function arity", "design x;\nvoid g(int a, int b) { }\nvoid f() {\n    g(1);\n}\n",
            "4:5: g takes 2 arguments, found 1"),
        // The argument 'b->value' starts at col 16.
        bad("argument type", "design x;\nvoid f(struct box *b) {\n    mutex_lock(b->value);\n}\n",
            "3:16: argument 1 of mutex_lock: expected struct mutex *, found int"),
        bad("no matching overload", "design x;\nvoid f() {\n    cpu(true);\n}\n",
            "3:5: no cpu(bool); expected cpu(int) or cpu(dist)"),
        bad("initialiser type", "design x;\nvoid f(struct box *b) {\n    int v = b;\n}\n",
            "3:13: cannot initialise 'v' of type int with a struct box *"),
        bad("assignment type", "design x;\nvoid f(struct box *b) {\n    bool r = false;\n"
                + "    r = b->value;\n}\n",
            "4:9: cannot assign a int to 'r' of type bool"),
        bad("return type", "design x;\nbool f() {\n    return 1;\n}\n",
            "3:12: 'f' returns bool, not int"),
        bad("return without value", "design x;\nint f() {\n    return;\n}\n",
            "3:5: 'f' must return a value of type int"),
        bad("return value from void", "design x;\nvoid f() {\n    return 3;\n}\n",
            "3:12: 'f' returns void; return takes no value here"),
        bad("pointer as condition", "design x;\nvoid f(struct box *b) {\n    if (b) { cpu(1us); }\n}\n",
            "3:9: condition must be bool or int, found struct box * (compare it with NULL)"),
        bad("comparing pointer with int", "design x;\nvoid f(struct box *b) {\n    if (b == 0) { }\n}\n",
            "3:11: cannot compare struct box * with int using '=='"),
        bad("address of a value", "design x;\nvoid f() {\n    mutex_lock(&3);\n}\n",
            "3:16: '&' must be followed by a variable or a field"),
        bad("for over an int", "design x;\nvoid f() {\n    for i in 3 { }\n}\n",
            "3:14: 'for i in' needs a cursor such as range(a, b), found int"),
        bad("impossible distribution", "design x;\nvoid f() {\n    cpu(exp(0));\n}\n",
            "3:9: exp(0): an exponential mean must be > 0, was 0.0 ns"),
        bad("wait_event on a mutex",
            "design x;\nvoid f(struct box *b) {\n    wait_event(b->lock, b->ready);\n}\n",
            "3:16: argument 1 of wait_event: expected a struct wait_queue_head *, found struct"
                + " mutex *"),
        // The inner 'i' of "    while (i < 3) { int i = 1; }" is at col 25.
        bad("duplicate local",
            "design x;\nvoid f() {\n    int i = 0;\n    while (i < 3) { int i = 1; }\n}\n",
            "4:25: duplicate local 'i'"),
        bad("local shadows parameter", "design x;\nvoid f(int n) {\n    int n = 1;\n}\n",
            "3:9: 'n' is already a parameter of 'f'"),
        bad("duplicate function", "design x;\nvoid f() { }\nvoid f() { }\n",
            "3:6: duplicate function 'f': already defined at line 2"),
        bad("break outside a loop", "design x;\nvoid f() {\n    cpu(1us);\n    break;\n}\n",
            "4:5: break outside a loop"),
        bad("continue outside a loop", "design x;\nvoid f() {\n    continue;\n}\n",
            "3:5: continue outside a loop"),
        bad("read-only field", "design x;\nvoid f(struct box *b) {\n    b->id = 3;\n}\n",
            "3:8: field 'id' of struct box is read-only"),
        bad("assignment to a constant", "design x;\nvoid f() {\n    VM_FAULT_RETRY = 3;\n}\n",
            "3:5: cannot assign to 'VM_FAULT_RETRY': it is a read-only constant"),
        bad("function named as a primitive", "design x;\nvoid mutex_lock(struct mutex *m) { }\n",
            "2:6: 'mutex_lock' is a primitive; a design cannot define a function of that name"),
        bad("super without a parent", "design x;\nint f() {\n    return super.f();\n}\n",
            "3:18: super.f: design x extends no design"),
        bad("super of a function no parent has",
            "design x extends test_base;\nint f() {\n    return super.zz();\n}\n",
            "3:18: super.zz: no parent design of x defines 'zz'"),
        // test_base has int c(struct box *x); the override adds a parameter. Callers in
        // test_base keep resolving to test_base's c, so only one error.
        bad("override with another signature",
            "design x extends test_base;\nint c(struct box *x, int extra) {\n    return 0;\n}\n",
            "2:5: 'c' overrides test_base's int c(struct box *) with a different signature:"
                + " int c(struct box *, int)"),
        bad("several errors reported together",
            "design x;\nvoid f() { }\nint g() { return undefined1 + undefined2; }\n",
            "3:18: unknown variable 'undefined1'", "3:31: unknown variable 'undefined2'"));
  }

  private static Arguments bad(String name, String text, String... expected) {
    return Arguments.of(name, text, List.of(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void malformedDesign_givesLocatedMessage(String name, String text, List<String> expected) {
    List<String> got = TestHost.errors(text).stream().map(Diagnostic::toString).toList();
    assertThat(got).containsExactlyElementsOf(
        expected.stream().map(e -> "test.design:" + e).toList());
  }

  @Test
  void extendsCycle_namedAtTheExtendsThatClosesIt() {
    // cycle_a.design extends "cycle_b.design", which extends "cycle_a.design" again: the error
    // is at cycle_b's string, line 1, col 24.
    Path dir = TestHost.RESOURCES;
    assertThatThrownBy(() -> DesignLibrary.load("cycle_a.design", dir, TestHost.host()))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.diagnostics())
            .extracting(Diagnostic::toString)
            .containsExactly(dir.resolve("cycle_b.design") + ":1:24: extends cycle:"
                + " cycle_a.design -> cycle_b.design -> cycle_a.design"));
  }

  @Test
  void unknownBaseDesign_listsTheBuiltIns() {
    // "design orphan extends no_such_design;": the base name at col 23.
    Path dir = TestHost.RESOURCES;
    assertThatThrownBy(() -> DesignLibrary.load("orphan.design", dir, TestHost.host()))
        .isInstanceOfSatisfying(InputException.class, e -> {
          assertThat(e.diagnostics()).hasSize(1);
          Diagnostic d = e.diagnostics().get(0);
          assertThat(d.file()).isEqualTo(dir.resolve("orphan.design").toString());
          assertThat(d.line()).isEqualTo(1);
          assertThat(d.column()).isEqualTo(23);
          assertThat(d.message()).startsWith("unknown base design 'no_such_design'; built-in"
              + " designs: [").contains("test_base");
        });
  }

  @Test
  void unknownDesignName_isAnInputErrorWithoutLocation() {
    assertThatThrownBy(() -> DesignLibrary.load("no_such_design", null, TestHost.host()))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(
            e.diagnostics().get(0).toString()).startsWith(
                "no_such_design: unknown design 'no_such_design'; built-in designs: ["));
  }

  @Test
  void errorsInABaseFile_nameThatFile() {
    // bad_base.design line 3 calls an unknown primitive; the child compiles cleanly.
    assertThatThrownBy(() -> DesignLibrary.load("bad_child.design", TestHost.RESOURCES,
        TestHost.host()))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.diagnostics())
            .extracting(Diagnostic::toString)
            .containsExactly(TestHost.RESOURCES.resolve("bad_base.design")
                + ":3:5: unknown function 'spin_lok'; did you mean 'spin_lock'?"));
  }

  @Test
  void manyErrors_atMostTwentyReported() {
    StringBuilder sb = new StringBuilder("design x;\nvoid f() {\n");
    for (int i = 0; i < 30; i++) {
      sb.append("    nope").append(i).append("();\n");
    }
    sb.append("}\n");
    assertThat(TestHost.errors(sb.toString())).hasSize(20);
  }
}
