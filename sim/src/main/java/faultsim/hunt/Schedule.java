package faultsim.hunt;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A schedule file: the run a hunt found a violation in, as plain text that {@code faultsim
 * replay} runs again. Lines are {@code key value}; after {@code perturbations N} come N lines
 * {@code task ordinal primitive delay_ns}; {@code #} starts a comment.
 *
 * @param workload the workload file as the hunt was given it
 * @param workloadSha256 SHA-256 of its text, checked when replaying
 * @param sets the {@code --set} overrides of the hunt, in order
 * @param design the design as named on the command line or in the workload
 * @param seed the hunt's seed
 * @param strategy {@code pct} or {@code random}
 * @param kind the oracle kind the schedule shows
 * @param replication the replication whose arrivals the run draws (substream {@code r} of every
 *     stream, as a plain run's replication {@code r})
 * @param points the delays, in the order they were given
 */
public record Schedule(String workload, String workloadSha256, List<String> sets, String design,
    long seed, String strategy, String kind, int replication, List<Point> points) {
  public Schedule {
    sets = List.copyOf(sets);
    points = List.copyOf(points);
  }

  /** The file's text. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("# faultsim schedule: ./faultsim replay FILE runs it again\n");
    sb.append("workload ").append(workload).append('\n');
    sb.append("workload_sha256 ").append(workloadSha256).append('\n');
    for (String s : sets) {
      sb.append("set ").append(s).append('\n');
    }
    sb.append("design ").append(design).append('\n');
    sb.append("seed ").append(seed).append('\n');
    sb.append("strategy ").append(strategy).append('\n');
    sb.append("kind ").append(kind).append('\n');
    sb.append("replication ").append(replication).append('\n');
    sb.append("perturbations ").append(points.size()).append('\n');
    for (Point p : points) {
      sb.append(p).append('\n');
    }
    return sb.toString();
  }

  /** SHA-256 of {@code text} (UTF-8), in hex. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a schedule file; a malformed one is an {@link InputException} naming its line. */
  public static Schedule read(Path file) throws InputException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(new Diagnostic(file.toString(), 0, 0, "cannot read the schedule"
          + " file (" + e.getMessage() + ")"));
    }
    return parse(file.toString(), text);
  }

  /** Parses a schedule file's text; {@code name} is the file named in messages. */
  public static Schedule parse(String name, String text) throws InputException {
    String workload = null;
    String sha = null;
    List<String> sets = new ArrayList<>();
    String design = null;
    Long seed = null;
    int replication = 0;
    String strategy = null;
    String kind = null;
    List<Point> points = new ArrayList<>();
    int expected = -1;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int no = i + 1;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (expected >= 0) {
        if (points.size() == expected) {
          throw bad(name, no, 1, "more perturbation lines than 'perturbations " + expected
              + "' says");
        }
        points.add(point(name, no, line));
        continue;
      }
      int sp = line.indexOf(' ');
      if (sp <= 0) {
        throw bad(name, no, 1, "expected 'key value'");
      }
      String key = line.substring(0, sp);
      String value = line.substring(sp + 1).trim();
      int col = sp + 2;
      switch (key) {
        case "workload" -> workload = value;
        case "workload_sha256" -> sha = value;
        case "set" -> sets.add(value);
        case "design" -> design = value;
        case "seed" -> seed = number(name, no, col, value);
        case "strategy" -> strategy = value;
        case "kind" -> kind = value;
        case "replication" -> {
          long r = number(name, no, col, value);
          if (r < 0 || r > Integer.MAX_VALUE) {
            throw bad(name, no, col, "expected a replication number >= 0");
          }
          replication = (int) r;
        }
        case "perturbations" -> {
          long n = number(name, no, col, value);
          if (n < 0 || n > 1_000_000) {
            throw bad(name, no, col, "expected a count of perturbations from 0 to 1000000");
          }
          expected = (int) n;
        }
        default -> throw bad(name, no, 1, "unknown key '" + key + "'; expected workload,"
            + " workload_sha256, set, design, seed, strategy, kind, replication or perturbations");
      }
    }
    int end = lines.length;
    if (workload == null || sha == null || design == null || seed == null || strategy == null
        || kind == null || expected < 0) {
      throw bad(name, end, 1, "a schedule needs workload, workload_sha256, design, seed,"
          + " strategy, kind and perturbations lines");
    }
    if (points.size() != expected) {
      throw bad(name, end, 1, "expected " + expected + " perturbation lines, found "
          + points.size());
    }
    return new Schedule(workload, sha, sets, design, seed, strategy, kind, replication, points);
  }

  private static Point point(String name, int no, String line) throws InputException {
    String[] f = line.trim().split("\\s+");
    if (f.length != 4) {
      throw bad(name, no, 1, "expected 'task ordinal primitive delay_ns'");
    }
    int col2 = line.indexOf(f[1]) + 1;
    long ordinal = number(name, no, col2, f[1]);
    int col4 = line.lastIndexOf(f[3]) + 1;
    long delay = number(name, no, col4, f[3]);
    if (ordinal < 1) {
      throw bad(name, no, col2, "expected an ordinal >= 1");
    }
    if (delay < 1) {
      throw bad(name, no, col4, "expected a delay >= 1 ns");
    }
    return new Point(f[0], ordinal, f[2], delay);
  }

  private static long number(String name, int no, int col, String v) throws InputException {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name, no, col, "expected an integer, found '" + v + "'");
    }
  }

  private static InputException bad(String name, int line, int col, String what) {
    return new InputException(new Diagnostic(name, line, col, what));
  }
}
