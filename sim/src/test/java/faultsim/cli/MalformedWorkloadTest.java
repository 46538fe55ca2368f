package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad workload files through the command line: each must exit with status 2, print one message
 * that starts with {@code w.yaml:LINE:COLUMN:} (the position of the offending key or value,
 * counted by hand below: lines and columns are 1-based, a key indented by two spaces starts in
 * column 3), say what was expected, print no stack trace, and leave no results directory.
 */
final class MalformedWorkloadTest {
  /** A valid workload; the cases below change one thing in it. */
  static final String VALID = String.join("\n",
      "machine:",                           // 1
      "  cores: 4",                         // 2
      "locks:",                             // 3
      "  L: {kind: spinlock}",              // 4
      "global:",                            // 5
      "  runtime: 1ms",                     // 6
      "jobs:",                              // 7
      "  w:",                               // 8
      "    numjobs: 2",                     // 9
      "    steps:",                         // 10
      "      - spin_lock: L",               // 11
      "      - cpu: 1us",                   // 12
      "      - spin_unlock: L",             // 13
      "");

  static Stream<Arguments> cases() {
    return Stream.of(
        // 1. Misspelt key: 'numjob' at line 9, column 5, with a suggestion.
        bad(VALID.replace("numjobs: 2", "numjob: 2"), 9, 5, "did you mean 'numjobs'"),
        // 2. Unknown top-level key at line 1 column 1.
        bad("machines:\n  cores: 4\n" + VALID.substring(VALID.indexOf("locks:")), 1, 1,
            "did you mean 'machine'"),
        // 3. Time without unit: value of runtime, key at 6:3.
        bad(VALID.replace("runtime: 1ms", "runtime: 100"), 6, 3, "needs a unit"),
        // 4. Unknown time unit.
        bad(VALID.replace("runtime: 1ms", "runtime: 1min"), 6, 3, "expected a time"),
        // 5. Zero cores: key cores at 2:3.
        bad(VALID.replace("cores: 4", "cores: 0"), 2, 3, "machine.cores must be >= 1"),
        // 6. Negative cores.
        bad(VALID.replace("cores: 4", "cores: -2"), 2, 3, "machine.cores must be >= 1"),
        // 7. Cores not a number: the key cores at 2:3.
        bad(VALID.replace("cores: 4", "cores: many"), 2, 3, "expected a whole number"),
        // 8. Sockets not dividing cores: insert 'sockets: 3' as line 3, key at 3:3.
        bad(VALID.replace("  cores: 4\n", "  cores: 4\n  sockets: 3\n"), 3, 3,
            "divide machine.cores"),
        // 9. Unknown spinlock kind: line 3 after insertion.
        bad(VALID.replace("  cores: 4\n", "  cores: 4\n  spinlock: tickets\n"), 3, 3,
            "did you mean 'ticket'"),
        // 10. Unknown lock kind: lock L's kind at 4:3 (the mapping starts at L).
        bad(VALID.replace("{kind: spinlock}", "{kind: spinner}"), 4, 7, "unknown lock kind"),
        // 11. Step naming an undefined lock: '- spin_lock: M' at line 11, key at column 9.
        bad(VALID.replace("spin_lock: L", "spin_lock: M"), 11, 9, "no lock named 'M'"),
        // 12. Primitive of the wrong family: down_read on a spinlock.
        bad(VALID.replace("- spin_lock: L", "- down_read: L").replace("- spin_unlock: L",
            "- up_read: L"), 11, 9, "needs a rwsem"),
        // 13. Unknown step, with suggestion: 'spinlock' at 11:9.
        bad(VALID.replace("- spin_lock: L", "- spinlock: L"), 11, 9, "did you mean 'spin_lock'"),
        // 14. Lock acquired but never released: the steps key at 10:5.
        bad(VALID.replace("      - spin_unlock: L\n", ""), 10, 5, "not released"),
        // 15. Release of a lock not held: first step is an unlock, at 11:9.
        bad(VALID.replace("- spin_lock: L", "- spin_unlock: L"), 11, 9, "does not hold"),
        // 16. Malformed distribution: exp with two arguments, cpu at 12:9.
        bad(VALID.replace("cpu: 1us", "cpu: exp(1us,2us)"), 12, 9, "exp(MEAN)"),
        // 17. Unknown distribution.
        bad(VALID.replace("cpu: 1us", "cpu: gauss(1us)"), 12, 9, "unknown distribution"),
        // 18. Negative numjobs at 9:5.
        bad(VALID.replace("numjobs: 2", "numjobs: -1"), 9, 5, "numjobs must be >= 0 (0 leaves the job out), got -1"),
        // 19. Missing runtime: the global section at 5:1.
        bad(VALID.replace("  runtime: 1ms\n", "  ramp_time: 1ms\n"), 5, 1,
            "global.runtime is required"),
        // 20. No jobs at all: 'jobs:' is null at 7:1.
        bad(VALID.substring(0, VALID.indexOf("  w:")), 7, 1, "at least one job"),
        // 21. Broken YAML: the flow mapping opened on line 4 is never closed, so 'global' on
        // line 5 is read as its next key, and the ':' after it (5:7) is where the parser fails.
        bad(VALID.replace("{kind: spinlock}", "{kind: spinlock"), 5, 7, "malformed YAML"),
        // 22. Duplicate key: the second 'cores' on line 3 is detected at the ':' after it (3:8).
        bad(VALID.replace("  cores: 4\n", "  cores: 4\n  cores: 8\n"), 3, 8, "Duplicate field"),
        // 23. A step that is not a one-key map: two keys in one list item at line 12.
        bad(VALID.replace("- cpu: 1us", "- {cpu: 1us, sleep: 1us}"), 12, 9, "one-key mapping"),
        // 24. A design that does not exist (designs list at line 14, item at column 5).
        bad(VALID + "designs:\n  - no_such_design\n", 15, 5, "design 'no_such_design' not found"),
        // 25. Zero replications at line 14.
        bad(VALID + "replications: 0\n", 14, 1, "replications must be >= 1"),
        // 26. A list where a mapping is expected: the key machine at 1:1.
        bad(VALID.replace("machine:\n  cores: 4\n", "machine: [4]\n"), 1, 1,
            "expected a mapping"),
        // 27. A negative device queue depth.
        bad(VALID + "devices:\n  nvme:\n    queue_depth: 0\n", 16, 5, "queue_depth must be >= 1"),
        // 28. A read from a device that is not defined, at 12:9.
        bad(VALID.replace("- cpu: 1us", "- read: nvme"), 12, 9, "no device named 'nvme'"),
        // 29. An empty file.
        bad("", 1, 1, "empty"),
        // 30. A negative uniform range.
        bad(VALID.replace("cpu: 1us", "cpu: uniform(3us,1us)"), 12, 9, "LOW <= HIGH"),
        // A synthetic job starts its tasks together: a start_delay distribution is refused at
        // the key (line 10 after insertion).
        bad(VALID.replace("numjobs: 2\n", "numjobs: 2\n    start_delay: uniform(0ns,5us)\n"),
            10, 5, "not a distribution"),
        // Fixed work belongs to fault jobs.
        bad(VALID.replace("numjobs: 2\n", "numjobs: 2\n    passes: 2\n"), 10, 5,
            "applies to fault jobs"));
  }

  static Arguments bad(String yaml, int line, int column, String fragment) {
    return Arguments.of(yaml, line, column, fragment);
  }

  @ParameterizedTest(name = "[{index}] expect {1}:{2} {3}")
  @MethodSource("cases")
  void run_malformedWorkload_exitsTwoWithLocatedMessage(String yaml, int line, int column,
      String fragment, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("w.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    Path out = dir.resolve("results");
    StringWriter err = new StringWriter();
    StringWriter stdout = new StringWriter();

    int status = Main.execute(new String[] {"run", file.toString(), "--out", out.toString()},
        new PrintWriter(stdout), new PrintWriter(err));

    String message = err.toString();
    assertThat(status).isEqualTo(2);
    assertThat(message).startsWith(file + ":" + line + ":" + column + ": ");
    assertThat(message).contains(fragment);
    assertThat(message.strip().lines().count()).isEqualTo(1);
    assertThat(message).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("w.yaml");
    }
  }
}
