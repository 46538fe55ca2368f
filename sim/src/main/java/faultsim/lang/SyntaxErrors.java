package faultsim.lang;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into diagnostics that say what was found and what was expected, in
 * the design language's words: {@code unexpected 'x'; expected ';' or ')'}, with the tokens that
 * may start a statement or an expression summarised as "a statement" and "an expression".
 */
final class SyntaxErrors extends BaseErrorListener {
  private static final int[] EXPRESSION_START = {DesignLexer.NUMBER, DesignLexer.TRUE,
      DesignLexer.FALSE, DesignLexer.NULL, DesignLexer.SUPER, DesignLexer.IDENT,
      DesignLexer.LPAREN, DesignLexer.BANG, DesignLexer.TILDE, DesignLexer.MINUS,
      DesignLexer.AMP};
  private static final int[] STATEMENT_START = {DesignLexer.IF, DesignLexer.WHILE,
      DesignLexer.FOR, DesignLexer.RETURN, DesignLexer.BREAK, DesignLexer.CONTINUE,
      DesignLexer.LBRACE, DesignLexer.STRUCT, DesignLexer.UNSIGNED};
  private static final int[] TYPE_START = {DesignLexer.STRUCT, DesignLexer.UNSIGNED,
      DesignLexer.IDENT};

  private final String file;
  private final Diagnostics diags;

  SyntaxErrors(String file, Diagnostics diags) {
    this.file = file;
    this.diags = diags;
  }

  private static final int[] OPERATORS = {DesignLexer.ARROW, DesignLexer.DOT, DesignLexer.STAR,
      DesignLexer.DIV, DesignLexer.MOD, DesignLexer.PLUS, DesignLexer.MINUS, DesignLexer.SHL,
      DesignLexer.SHR, DesignLexer.LT, DesignLexer.LE, DesignLexer.GT, DesignLexer.GE,
      DesignLexer.EQ, DesignLexer.NE, DesignLexer.AMP, DesignLexer.CARET, DesignLexer.PIPE,
      DesignLexer.LAND, DesignLexer.LOR};

  @Override
  public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
      int charPositionInLine, String msg, RecognitionException e) {
    if (recognizer instanceof Parser parser && offendingSymbol instanceof Token found) {
      String habit = cHabit(parser, found);
      if (habit != null) {
        diags.error(file, line, charPositionInLine + 1, habit);
        return;
      }
      // A ';' missing at the end of a line: say so where it is missing, as C compilers do.
      IntervalSet expected = e != null && e.getExpectedTokens() != null
          ? e.getExpectedTokens() : parser.getExpectedTokens();
      Token prev = parser.getTokenStream().index() > 0 ? parser.getTokenStream().LT(-1) : null;
      if (expected.contains(DesignLexer.SEMI) && prev != null && prev.getType() != Token.EOF
          && found.getLine() > prev.getLine()) {
        diags.error(file, prev.getLine(),
            prev.getCharPositionInLine() + prev.getText().length() + 1,
            "expected ';' after '" + shorten(prev.getText()) + "'");
        return;
      }
    }
    diags.error(file, line, charPositionInLine + 1, message(recognizer, offendingSymbol, msg, e));
  }

  /**
   * C that the language writes differently, said with what to write instead; null if the error
   * is not one of those.
   */
  private static String cHabit(Parser parser, Token found) {
    Token prev = null;
    for (int i = found.getTokenIndex() - 1; i >= 0 && prev == null; i--) {
      Token t = parser.getTokenStream().get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        prev = t;
      }
    }
    String before = prev == null || prev.getType() == Token.EOF ? "x" : prev.getText();
    return switch (found.getType()) {
      case DesignLexer.INC -> "'++' is not in the design language; write " + before + " = "
          + before + " + 1";
      case DesignLexer.DEC -> "'--' is not in the design language; write " + before + " = "
          + before + " - 1";
      case DesignLexer.COMPOUND_ASSIGN -> "'" + found.getText() + "' is not in the design"
          + " language; write " + before + " = " + before + " "
          + found.getText().substring(0, found.getText().length() - 1) + " ...";
      case DesignLexer.QUESTION -> "'?:' is not in the design language; write an if statement";
      case DesignLexer.LPAREN -> prev != null && prev.getType() == DesignLexer.FOR
          ? "C's for (init; cond; step) is not in the design language; write"
              + " 'for i in range(a, b) { ... }' or 'while (cond) { ... }'"
          : null;
      default -> null;
    };
  }

  private static String message(Recognizer<?, ?> recognizer, Object offending, String msg,
      RecognitionException e) {
    if (!(recognizer instanceof Parser parser)) {
      // Lexer: "token recognition error at: 'X'".
      int at = msg.indexOf("at: ");
      String text = at >= 0 ? msg.substring(at + 4) : msg;
      if (text.startsWith("'\"")) {
        return "unterminated string " + text;
      }
      return "unexpected character " + text;
    }
    Token found = offending instanceof Token t ? t : null;
    String foundText = describe(found);
    if (msg.startsWith("missing ")) {
      IntervalSet expected = parser.getExpectedTokens();
      return "expected " + expected(expected, parser) + " before " + foundText;
    }
    if (e instanceof NoViableAltException nva) {
      Token start = nva.getStartToken();
      if (start != null && found != null && start.getTokenIndex() < found.getTokenIndex()) {
        String before = parser.getTokenStream().getText(start, found);
        return "cannot parse '" + shorten(before) + "': unexpected " + foundText;
      }
    }
    IntervalSet expected = e != null && e.getExpectedTokens() != null
        ? e.getExpectedTokens() : parser.getExpectedTokens();
    return "unexpected " + foundText + "; expected " + expected(expected, parser);
  }

  private static String describe(Token t) {
    if (t == null || t.getType() == Token.EOF) {
      return "end of file";
    }
    return "'" + shorten(t.getText()) + "'";
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 40 ? one.substring(0, 37) + "..." : one;
  }

  /** The expected set in words: "';' or ')'", "a statement or '}'", "an expression". */
  static String expected(IntervalSet set, Parser parser) {
    List<Integer> types = new ArrayList<>(set.toList());
    List<String> words = new ArrayList<>();
    if (types.containsAll(boxed(STATEMENT_START)) && types.containsAll(boxed(EXPRESSION_START))) {
      words.add("a statement");
      types.removeAll(boxed(STATEMENT_START));
      types.removeAll(boxed(EXPRESSION_START));
    } else if (types.containsAll(boxed(EXPRESSION_START))) {
      words.add("an expression");
      types.removeAll(boxed(EXPRESSION_START));
    } else if (types.containsAll(boxed(TYPE_START))) {
      words.add("a type");
      types.removeAll(boxed(TYPE_START));
    }
    boolean operators = types.containsAll(boxed(OPERATORS));
    types.removeAll(boxed(OPERATORS));
    for (int type : types) {
      words.add(tokenWord(type, parser));
    }
    if (operators) {
      words.add("an operator");
    }
    if (words.isEmpty()) {
      return "something else";
    }
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " or "
        + words.get(words.size() - 1);
  }

  private static String tokenWord(int type, Parser parser) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case DesignLexer.IDENT -> "a name";
      case DesignLexer.NUMBER -> "a number";
      case DesignLexer.STRING -> "a \"path.design\" string";
      default -> parser.getVocabulary().getDisplayName(type);
    };
  }

  private static List<Integer> boxed(int[] a) {
    List<Integer> list = new ArrayList<>(a.length);
    for (int x : a) {
      list.add(x);
    }
    return list;
  }
}
