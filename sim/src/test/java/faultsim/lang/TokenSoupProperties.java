package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.workload.InputException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Under {@code mvn verify} the Jazzer fuzz test only replays its seeds; this property throws
 * random sequences of the language's own tokens at the loader on every build: each must give a
 * design or an {@link InputException} with at least one located diagnostic, nothing else.
 */
final class TokenSoupProperties {
  private static final List<String> TOKENS = List.of("design", "x", "extends", "test_base",
      "\"child_file.design\"", ";", "int", "void", "bool", "struct", "box", "*", "f", "g", "(",
      ")", "{", "}", "if", "else", "while", "for", "in", "range", "return", "break", "continue",
      "=", "==", "&&", "||", "!", "&", "->", "value", "next", "b", "1", "200ns", "4k", "0x10",
      "NULL", "true", "super", ".", ",", "mutex_lock", "cpu", "exp", "wait_event", "wq",
      "ready", "+", "-", "/", "%", "<<", "<", "//c\n", "/*c*/", "\n");

  @Provide
  Arbitrary<String> soup() {
    Arbitrary<String> body = Arbitraries.of(TOKENS).list().ofMaxSize(60)
        .map(l -> String.join(" ", l));
    // Half the inputs start with a valid header, so the checker is reached as well.
    return Arbitraries.oneOf(body, body.map(b -> "design x;\nint f(struct box *b) { " + b)
        .map(s -> s + " }"), body.map(b -> "design x;\n" + b));
  }

  @Property(tries = 500)
  void anyTokens_giveADesignOrLocatedErrors(@ForAll("soup") String text) {
    try {
      DesignLibrary.compile("soup.design", text, TestHost.RESOURCES, TestHost.host());
    } catch (InputException e) {
      assertThat(e.diagnostics()).isNotEmpty()
          .allSatisfy(d -> assertThat(d.line()).isPositive());
    }
  }
}
