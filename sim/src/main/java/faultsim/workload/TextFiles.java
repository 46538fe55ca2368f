package faultsim.workload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the text files a user gives faultsim (workloads, designs), saying what is wrong with one
 * that cannot be read as text: missing, a directory, a device or pipe, too large, binary, or not
 * UTF-8 (with the line and column of the first bad byte).
 */
public final class TextFiles {
  private TextFiles() {}

  /** Why {@code file} is not a readable regular file, or empty if it is. */
  public static Optional<String> whyNotAFile(Path file) {
    if (Files.isDirectory(file)) {
      return Optional.of("is a directory");
    }
    if (!Files.exists(file)) {
      return Optional.of("no such file");
    }
    if (!Files.isRegularFile(file)) {
      return Optional.of("is not a regular file (a device, a pipe or a socket)");
    }
    if (!Files.isReadable(file)) {
      return Optional.of("cannot be read by this user");
    }
    return Optional.empty();
  }

  /**
   * The text of {@code file}, UTF-8. {@code what} names the kind of file in messages ("workload
   * file"); files larger than {@code maxBytes} are refused without being read.
   */
  public static String read(Path file, String what, long maxBytes) throws InputException {
    String name = file.toString();
    Optional<String> why = whyNotAFile(file);
    if (why.isPresent()) {
      throw new InputException(new Diagnostic(name, 0, 0, why.get() + "; expected a " + what));
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new InputException(new Diagnostic(name, 0, 0, "no such file; expected a " + what));
    } catch (IOException e) {
      throw new InputException(new Diagnostic(name, 0, 0, "cannot read the " + what + " ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
    }
    if (bytes.length > maxBytes) {
      throw new InputException(new Diagnostic(name, 0, 0, "is larger than "
          + Units.formatSize(maxBytes) + "; a " + what + " is text of a few kilobytes"));
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        int[] lc = lineColumn(bytes, i);
        throw new InputException(new Diagnostic(name, lc[0], lc[1], "a NUL byte: this is a"
            + " binary file, not a " + what));
      }
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int[] lc = lineColumn(bytes, at);
      throw new InputException(new Diagnostic(name, lc[0], lc[1], String.format(Locale.ROOT,
          "byte 0x%02x is not UTF-8: a %s must be UTF-8 text", bytes[at] & 0xff, what)));
    }
    dec.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** The 1-based line and column (counted in bytes) of byte {@code offset}. */
  private static int[] lineColumn(byte[] bytes, int offset) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        col = 1;
      } else if ((bytes[i] & 0xc0) != 0x80) {
        col++;
      }
    }
    return new int[] {line, col};
  }
}
