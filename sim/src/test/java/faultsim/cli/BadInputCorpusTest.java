package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs that once hung, ran out of memory, printed a stack trace or named the wrong place. Each
 * must exit with status 2 within 10 s and the default heap, print one message (a design's stack
 * may follow it, folded) that starts with the place it names — {@code file:line:column} where
 * the input has lines, counted by hand in the comments — and leave no results directory and the
 * user's files as they were.
 */
final class BadInputCorpusTest {
  /** A kernel workload: one reader faulting a cached file, under linux_6_6. */
  static final String KERNEL = String.join("\n",
      "files:",                                          // 1
      "  lib: {size: 1M}",                               // 2
      "global:",                                         // 3
      "  runtime: 100us",                                // 4
      "jobs:",                                           // 5
      "  reader: {rw: randread, file: lib, size: 1M}",   // 6
      "designs: [linux_6_6]",                            // 7
      "replications: 1",                                 // 8
      "");

  /** A design whose handle_mm_fault calls itself until the interpreter's depth bound. */
  static final String RUNAWAY = String.join("\n",
      "design runaway extends linux_6_6;",
      "vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,",
      "        unsigned long flags) {",
      "    return handle_mm_fault(vma, address, flags);",
      "}",
      "");

  static final String VALID = MalformedWorkloadTest.VALID;

  /**
   * A case: the workload text (or, when {@code workload} is null, the command's FILE as given),
   * other files to create beside it (name → text; a name ending in '/' is a directory), extra
   * arguments, the place the message must start with ({@code W} stands for the workload's path,
   * {@code D} for the directory's), and a fragment it must contain.
   */
  static Arguments bad(String workload, Map<String, String> files, List<String> args,
      String place, String fragment) {
    return Arguments.of(workload, files, args, place, fragment);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // A float where a whole number is expected: numjobs at 9:5 once held 4 GB and hung.
        bad(VALID.replace("numjobs: 2", "numjobs: 1e9"), Map.of(), List.of(), "W:9:5",
            "jobs.w.numjobs: expected a whole number"),
        // 2^31 - 1 cores would need terabytes of heap: refused at cores, 2:3.
        bad(VALID.replace("cores: 4", "cores: 2147483647"), Map.of(), List.of(), "W:2:3",
            "a run of 2147483647 cores and 2 tasks needs about"),
        // 10^8 tasks: refused at that job's numjobs, 9:5.
        bad(VALID.replace("numjobs: 2", "numjobs: 100000000"), Map.of(), List.of(), "W:9:5",
            "cores and 100000000 tasks needs about"),
        // An endless device as the workload file.
        bad(null, Map.of(), List.of("/dev/zero"), "/dev/zero",
            "is not a regular file (a device, a pipe or a socket); expected a workload file"),
        // A directory as the workload file.
        bad(null, Map.of("wl/", ""), List.of("D/wl"), "D/wl",
            "is a directory; expected a workload file"),
        // A tab indenting line 2, at its first column.
        bad(VALID.replace("  cores: 4", "\tcores: 4"), Map.of(), List.of(), "W:2:1",
            "a tab character in the indentation; YAML indents with spaces only"),
        // Latin-1 'é' (0xe9) in line 8 "  w:" -> "  wé:", at column 4.
        bad(VALID.replace("  w:\n", "  w\u00e9:\n"), Map.of(), List.of(), "W:8:4",
            "byte 0xe9 is not UTF-8"),
        // A design path that is a directory: the entry at 7:11.
        bad(KERNEL.replace("[linux_6_6]", "[d.design]"), Map.of("d.design/", ""), List.of(),
            "W:7:11", "is a directory; expected a design file"),
        // A device as a design file.
        bad(KERNEL.replace("[linux_6_6]", "[/dev/null]"), Map.of(), List.of(), "W:7:11",
            "is not a regular file"),
        // A binary design file: a NUL at line 1, column 3 of b.design.
        bad(KERNEL.replace("[linux_6_6]", "[b.design]"), Map.of("b.design", "de\0sign"),
            List.of(), "D/b.design:1:3", "a NUL byte: this is a binary file"),
        // An empty designs list at 7:1 once ran linux_6_6 silently.
        bad(KERNEL.replace("designs: [linux_6_6]", "designs: []"), Map.of(), List.of(),
            "W:7:1", "designs: the list is empty"),
        // --design names the option the user typed, not an internal --set.
        bad(KERNEL, Map.of(), List.of("--design", "no_such_design"), "--design no_such_design",
            "unknown design 'no_such_design'"),
        bad(KERNEL, Map.of(), List.of("--design", "missing.design"), "--design missing.design",
            "design file 'missing.design' not found"),
        // A page size no machine has: machine.page_size at 9:11 ("machine: {" is 10 columns).
        bad(KERNEL + "machine: {page_size: 8k}\n", Map.of(), List.of(), "W:9:11",
            "machine.page_size must be 4k, 16k or 64k"),
        // A file of 1M + 16k is not whole 64 KiB pages: its size at 2:9.
        bad(KERNEL.replace("size: 1M}", "size: 1040k}") + "machine: {page_size: 64k}\n",
            Map.of(), List.of(), "W:2:9", "files.lib.size must be a positive multiple of 64k"),
        // A design entry setting a job key: the set key at 7:37 ("designs: [{" is 11 columns,
        // "design: linux_6_6, " 19 more, "set: {" 6 more).
        bad(KERNEL.replace("[linux_6_6]", "[{design: linux_6_6, set: {jobs.reader.numjobs: 2}}]"),
            Map.of(), List.of(), "W:7:37", "'jobs.reader.numjobs' cannot differ between designs"),
        // A job taking a misspelt rw from global: global's rw at 4:3 (inserted as line 4).
        bad(KERNEL.replace("  runtime: 100us\n", "  rw: reed\n  runtime: 100us\n")
            .replace("{rw: randread, ", "{"), Map.of(), List.of(), "W:4:3",
            "global.rw: expected one of read, write"),
        // Runaway recursion: the 1000-deep stack is folded to a few lines.
        bad(KERNEL.replace("[linux_6_6]", "[runaway.design]"), Map.of("runaway.design",
            RUNAWAY), List.of(), "faultsim: a run stopped: D/runaway.design:4:",
            "design calls nested 1000 deep"));
  }

  @ParameterizedTest(name = "[{index}] {3} {4}")
  @MethodSource("cases")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void run_badInput_exitsTwoNamingThePlace(String workload, Map<String, String> files,
      List<String> args, String place, String fragment, @TempDir Path dir) throws IOException {
    Path w = dir.resolve("w.yaml");
    if (workload != null) {
      Files.write(w, workload.getBytes(StandardCharsets.ISO_8859_1));
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      if (f.getKey().endsWith("/")) {
        Files.createDirectories(dir.resolve(f.getKey()));
      } else {
        Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      }
    }
    Map<String, String> before = UserFilesTest.snapshot(dir);
    Path out = dir.resolve("results");
    List<String> cmd = new ArrayList<>(List.of("run"));
    if (workload != null) {
      cmd.add(w.toString());
    }
    for (String a : args) {
      cmd.add(a.replace("D/", dir + "/"));
    }
    cmd.addAll(List.of("--out", out.toString()));

    UserFilesTest.Outcome o = UserFilesTest.faultsim(cmd.toArray(String[]::new));

    String expected = place.replace("W", w.toString()).replace("D/", dir + "/");
    assertThat(o.status()).as(o.err()).isEqualTo(2);
    assertThat(o.err()).startsWith(expected.endsWith(":") ? expected : expected + ":")
        .contains(fragment);
    assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(o.err().lines().count()).as(o.err()).isLessThanOrEqualTo(12);
    assertThat(out).doesNotExist();
    assertThat(UserFilesTest.snapshot(dir)).isEqualTo(before);
  }
}
