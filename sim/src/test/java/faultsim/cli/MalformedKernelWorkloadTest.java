package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad files, kernel keys and designs in workloads with fault and operation jobs: each exits 2
 * with one message at the offending key's {@code line:column} (1-based; a key indented by four
 * spaces starts in column 5), no stack trace and no results directory.
 */
final class MalformedKernelWorkloadTest {
  static final String VALID = String.join("\n",
      "files:",                             // 1
      "  data:",                            // 2
      "    size: 1M",                       // 3
      "    fs: ext4",                       // 4
      "kernel:",                            // 5
      "  fault_around_bytes: 64k",          // 6
      "global:",                            // 7
      "  runtime: 1ms",                     // 8
      "jobs:",                              // 9
      "  reader:",                          // 10
      "    rw: randread",                   // 11
      "    file: data",                     // 12
      "  puncher:",                         // 13
      "    op: punch_hole",                 // 14
      "    file: data",                     // 15
      "    offset: 64k",                    // 16
      "    size: 128k",                     // 17
      "designs: [linux_6_6]",               // 18
      "");

  static Stream<Arguments> cases() {
    return Stream.of(
        // A misspelt file system, at the fs key 4:5.
        bad(VALID.replace("fs: ext4", "fs: ext5"), 4, 5, "did you mean 'ext4'"),
        // fault_around_bytes not a power of two.
        bad(VALID.replace("bytes: 64k", "bytes: 48k"), 6, 3, "power of two from 4k to 2M"),
        // fault_around_bytes beyond one PTE page (PTRS_PER_PTE pages).
        bad(VALID.replace("bytes: 64k", "bytes: 4M"), 6, 3, "power of two from 4k to 2M"),
        // A misspelt rw.
        bad(VALID.replace("rw: randread", "rw: raed"), 11, 5, "did you mean 'read'"),
        // A file that is not defined.
        bad(VALID.replace("    file: data\n  puncher", "    file: dta\n  puncher"), 12, 5,
            "no file named 'dta'"),
        // A punch past the end of the 1 MiB file: [1M, 1M + 128k), reported at its size.
        bad(VALID.replace("offset: 64k", "offset: 1M"), 17, 5, "goes past the end of file"),
        // A misspelt operation.
        bad(VALID.replace("op: punch_hole", "op: punch"), 14, 5,
            "did you mean 'punch_hole'"),
        // An unknown built-in design: the list's element at 18:11.
        bad(VALID.replace("[linux_6_6]", "[linux_6_7]"), 18, 11,
            "unknown design 'linux_6_7'"),
        // A design file that does not exist.
        bad(VALID.replace("[linux_6_6]", "[mine.design]"), 18, 11,
            "design file 'mine.design' not found"),
        // cached outside [0, 1].
        bad(VALID.replace("    fs: ext4\n", "    fs: ext4\n    cached: 2\n"), 5, 5,
            "cached must be between 0 and 1"),
        // A truncate that would grow the file.
        bad(VALID.replace("op: punch_hole", "op: truncate").replace("size: 128k", "size: 2M"),
            17, 5, "does not shrink"),
        // An anonymous mapping that names a file.
        bad(VALID.replace("rw: randread", "rw: randread\n    mapping: anon"), 13, 5,
            "an anon mapping has no file"),
        // A rate without a unit.
        bad(VALID.replace("offset: 64k", "offset: 64k\n    rate: 100"), 17, 5,
            "a rate needs a unit"),
        // A file size that is not whole pages.
        bad(VALID.replace("size: 1M", "size: 1001"), 3, 5, "multiple of 4k"),
        // A job that says nothing about what it does.
        bad(VALID.replace("    rw: randread\n    file: data\n", "    numjobs: 2\n"), 10, 3,
            "say what the job does"),
        // The synthetic design cannot run fault jobs.
        bad(VALID.replace("[linux_6_6]", "[synthetic]"), 18, 11, "runs only synthetic jobs"),
        // A negative retry bound.
        bad(VALID.replace("bytes: 64k", "bytes: 64k\n  max_retries: 0"), 7, 3,
            "max_retries must be >= 1"),
        // Fixed work of no passes, at the passes key inserted as line 12.
        bad(VALID.replace("rw: randread\n", "rw: randread\n    passes: 0\n"), 12, 5,
            "passes must be >= 1"),
        // A negative page count.
        bad(VALID.replace("rw: randread\n", "rw: randread\n    pages: -3\n"), 12, 5,
            "pages must be >= 1"),
        // Both passes and pages: reported at pages, line 13.
        bad(VALID.replace("rw: randread\n", "rw: randread\n    passes: 2\n    pages: 10\n"),
            13, 5, "passes or pages, not both"),
        // A negative start delay, constant or in a distribution.
        bad(VALID.replace("rw: randread\n", "rw: randread\n    start_delay: -5us\n"), 12, 5,
            "start_delay"),
        bad(VALID.replace("rw: randread\n", "rw: randread\n    start_delay: uniform(-1us,5us)\n"),
            12, 5, "start_delay"),
        // A misspelt between_passes.
        bad(VALID.replace("rw: randread\n", "rw: randread\n    between_passes: munmp\n"), 12, 5,
            "did you mean 'munmap'"),
        // passes on an operation job (line 15 after op: punch_hole).
        bad(VALID.replace("op: punch_hole\n", "op: punch_hole\n    passes: 1\n"), 15, 5,
            "applies to fault jobs"),
        // No runtime and a fault job without fixed work: at global, 7:1.
        bad(VALID.replace("  runtime: 1ms", "  randseed: 3"), 7, 1,
            "global.runtime is required"),
        // Three tasks' 128k regions 512k apart: the third is [1M, 1M + 128k), past the 1 MiB
        // file; reported at offset_increment, 12:5.
        bad(VALID.replace("rw: randread\n", "rw: randread\n    offset_increment: 512k\n"
            + "    numjobs: 3\n    size: 128k\n"), 12, 5, "goes past the end of the file"),
        // loops beside fixed work, at loops (line 13).
        bad(VALID.replace("rw: randread\n", "rw: randread\n    passes: 1\n    loops: 5\n"),
            13, 5, "cannot end a job with fixed work"),
        // A ramp with fixed work: at ramp_time, 9:3.
        bad(VALID.replace("  runtime: 1ms", "  runtime: 1ms\n  ramp_time: 1ms")
            .replace("rw: randread\n", "rw: randread\n    passes: 1\n"), 9, 3,
            "ramp_time"));
  }

  static Arguments bad(String yaml, int line, int column, String fragment) {
    return Arguments.of(yaml, line, column, fragment);
  }

  @ParameterizedTest(name = "[{index}] expect {1}:{2} {3}")
  @MethodSource("cases")
  void run_malformedKernelWorkload_exitsTwoWithLocatedMessage(String yaml, int line, int column,
      String fragment, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("w.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    assertRejected(dir, file, file + ":" + line + ":" + column + ": ", fragment);
  }

  /**
   * A design file with a syntax error on its line 3 ({@code int x = ;}: an expression was
   * expected where ';' stands, column 13) is reported in the design file, not the workload.
   */
  @Test
  void run_designThatDoesNotParse_namesTheDesignFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("mine.design"), String.join("\n",
        "design mine extends linux_6_6;",
        "void helper() {",
        "    int x = ;",
        "}",
        ""), StandardCharsets.UTF_8);
    Path file = dir.resolve("w.yaml");
    Files.writeString(file, VALID.replace("[linux_6_6]", "[mine.design]"),
        StandardCharsets.UTF_8);
    assertRejected(dir, file, dir.resolve("mine.design") + ":3:13: ", "expected");
  }

  /** A design that does not type-check: assigning a folio to an int, at 3:13. */
  @Test
  void run_designThatDoesNotTypeCheck_namesLineAndColumn(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("mine.design"), String.join("\n",
        "design mine extends linux_6_6;",
        "void helper(struct folio *f) {",
        "    int x = f;",
        "}",
        ""), StandardCharsets.UTF_8);
    Path file = dir.resolve("w.yaml");
    Files.writeString(file, VALID.replace("[linux_6_6]", "[mine.design]"),
        StandardCharsets.UTF_8);
    assertRejected(dir, file, dir.resolve("mine.design") + ":3:", "int");
  }

  static void assertRejected(Path dir, Path file, String prefix, String fragment)
      throws IOException {
    Path out = dir.resolve("results");
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"run", file.toString(), "--out", out.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    String message = err.toString();
    assertThat(status).isEqualTo(2);
    assertThat(message).startsWith(prefix);
    assertThat(message).contains(fragment);
    assertThat(message).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }
}
