package faultsim.lang;

import java.nio.file.Path;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

/**
 * One design file, parsed: where it came from (a built-in resource or a path), its text and its
 * parse tree. Syntax errors go to the {@link Diagnostics} given to {@link #parse}.
 */
final class DesignSource {
  private final String label;
  private final String diagnosticFile;
  private final boolean builtin;
  private final Path dir;
  private final String text;
  private final CharStream input;
  private final DesignParser.DesignFileContext tree;

  private DesignSource(String label, String diagnosticFile, boolean builtin, Path dir, String text,
      CharStream input, DesignParser.DesignFileContext tree) {
    this.label = label;
    this.diagnosticFile = diagnosticFile;
    this.builtin = builtin;
    this.dir = dir;
    this.text = text;
    this.input = input;
    this.tree = tree;
  }

  /**
   * Parses {@code text}.
   *
   * @param label how runtime locations name the file: the design name for built-ins, the path
   *     otherwise
   * @param diagnosticFile how errors name the file: {@code builtin:NAME} or the path
   * @param dir the directory relative {@code extends "x.design"} paths resolve against (for
   *     built-ins, the resource directory as a relative path)
   */
  static DesignSource parse(String label, String diagnosticFile, boolean builtin, Path dir,
      String text, Diagnostics diags) {
    CharStream input = CharStreams.fromString(text, diagnosticFile);
    DesignLexer lexer = new DesignLexer(input);
    SyntaxErrors listener = new SyntaxErrors(diagnosticFile, diags);
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    DesignParser parser = new DesignParser(tokens);
    parser.removeErrorListeners();
    Token first = tokens.LT(1);
    if (first.getType() == DesignLexer.DESIGN) {
      parser.addErrorListener(listener);
    } else {
      // Not a design at all: one clear message rather than the parser's recovery attempts.
      diags.error(diagnosticFile, first.getLine(), first.getCharPositionInLine() + 1,
          "a design file starts with 'design NAME;', found "
              + (first.getType() == Token.EOF ? "end of file" : "'" + first.getText() + "'"));
    }
    DesignParser.DesignFileContext tree = parser.designFile();
    return new DesignSource(label, diagnosticFile, builtin, dir, text, input, tree);
  }

  String label() {
    return label;
  }

  String diagnosticFile() {
    return diagnosticFile;
  }

  boolean builtin() {
    return builtin;
  }

  Path dir() {
    return dir;
  }

  String text() {
    return text;
  }

  DesignParser.DesignFileContext tree() {
    return tree;
  }

  /** The design's name from its header, or null if the header did not parse. */
  String designName() {
    DesignParser.HeaderContext h = tree.header();
    return h == null || h.name == null ? null : h.name.getText();
  }

  /** The source text of {@code ctx}, exactly as written. */
  String textOf(ParserRuleContext ctx) {
    if (ctx.start == null || ctx.stop == null
        || ctx.stop.getStopIndex() < ctx.start.getStartIndex()) {
      return ctx.getText();
    }
    return input.getText(Interval.of(ctx.start.getStartIndex(), ctx.stop.getStopIndex()));
  }
}
