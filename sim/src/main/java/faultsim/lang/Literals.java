package faultsim.lang;

/**
 * Number literals of the design language: decimal {@code 42}, hex {@code 0x400}, times with a
 * unit {@code 200ns 1us 2ms 1s} (nanoseconds) and sizes {@code 4k 64k 2M 1G} (bytes, powers of
 * two). All are 64-bit integers.
 */
final class Literals {
  static final String EXPECTED = "expected digits with an optional unit ns, us, ms, s (time) or"
      + " k, M, G (size), or 0x and hex digits";

  private Literals() {}

  /**
   * The value of {@code text}.
   *
   * @throws NumberFormatException with a message saying what was expected
   */
  static long parse(String text) {
    if (text.length() > 2 && text.charAt(0) == '0'
        && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
      String hex = text.substring(2);
      if (!hex.matches("[0-9a-fA-F]{1,16}")) {
        throw new NumberFormatException("malformed number '" + text + "': " + EXPECTED);
      }
      return Long.parseUnsignedLong(hex, 16);
    }
    int i = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      i++;
    }
    String digits = text.substring(0, i);
    String unit = text.substring(i);
    long multiplier = switch (unit) {
      case "" -> 1;
      case "ns" -> 1;
      case "us" -> 1_000;
      case "ms" -> 1_000_000;
      case "s" -> 1_000_000_000;
      case "k", "K" -> 1L << 10;
      case "M" -> 1L << 20;
      case "G" -> 1L << 30;
      default -> throw new NumberFormatException(
          "malformed number '" + text + "': " + EXPECTED);
    };
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("number '" + text + "' does not fit in 64 bits");
    }
    try {
      return Math.multiplyExact(value, multiplier);
    } catch (ArithmeticException e) {
      throw new NumberFormatException("number '" + text + "' does not fit in 64 bits");
    }
  }
}
