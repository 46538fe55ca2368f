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
 * Bad named mappings and jobs on them: each exits 2 with one message at the offending key's
 * {@code line:column} (a key indented by four spaces starts in column 5), no stack trace and no
 * results directory.
 */
final class MalformedVmaWorkloadTest {
  static final String VALID = String.join("\n",
      "mappings:",                          // 1
      "  heap:",                            // 2
      "    size: 1M",                       // 3
      "global:",                            // 4
      "  runtime: 1ms",                     // 5
      "jobs:",                              // 6
      "  fault:",                           // 7
      "    numjobs: 4",                     // 8
      "    rw: write",                      // 9
      "    vma: heap",                      // 10
      "    split: true",                    // 11
      "  unmap:",                           // 12
      "    op: munmap",                     // 13
      "    vma: heap",                      // 14
      "designs: [linux_6_6]",               // 15
      "");

  static Stream<Arguments> cases() {
    return Stream.of(
        // A region outside its mapping: [1M - 4k, 1M - 4k + 8k) of a 1 MiB mapping, at size.
        bad(VALID.replace("    split: true\n", "    offset: 1020k\n    size: 8k\n"), 12, 5,
            "outside mapping 'heap'"),
        // An offset at the very end leaves an empty region, reported at offset.
        bad(VALID.replace("    split: true\n", "    offset: 1M\n"), 11, 5,
            "is empty"),
        // An operation on a mapping that is not defined (did you mean the one that is).
        bad(VALID.replace("    vma: heap\ndesigns", "    vma: hep\ndesigns"), 14, 5,
            "no mapping named 'hep'; did you mean 'heap'"),
        // 256 pages do not split into 3 equal parts.
        bad(VALID.replace("numjobs: 4", "numjobs: 3"), 11, 5,
            "numjobs (3) does not divide the region's 256 pages"),
        // split without a named mapping.
        bad(VALID.replace("    vma: heap\n    split", "    mapping: anon\n    size: 1M\n"
            + "    split"), 12, 5, "needs vma:"),
        // mprotect needs a named mapping.
        bad(VALID.replace("    op: munmap\n    vma: heap\n", "    op: mprotect\n"), 13, 5,
            "give vma:"),
        // A fault job on a mapping may not map a file of its own.
        bad(VALID.replace("    split: true\n", "    split: true\n    file: data\n"), 12, 5,
            "maps nothing of its own"),
        // munmap of part of the mapping (a split) is not modelled.
        bad(VALID.replace("    vma: heap\ndesigns", "    vma: heap\n    size: 64k\ndesigns"), 15,
            5, "munmap of part of mapping 'heap' is not modelled"),
        // A mapping both munmapped and split by an mprotect of its middle.
        bad(VALID.replace("designs:", "  protect:\n    op: mprotect\n    vma: heap\n"
            + "    offset: 64k\n    size: 64k\ndesigns:"), 16, 5,
            "munmap of a split mapping is not modelled"),
        // A misspelt protection.
        bad(VALID.replace("    size: 1M\n", "    size: 1M\n    prot: rw\n"), 4, 5,
            "expected read or read_write"),
        // An anonymous mapping needs a size.
        bad(VALID.replace("    size: 1M\n", "    prot: read\n"), 2, 3,
            "size is required for an anonymous mapping"),
        // A mapping of a file that is not defined.
        bad(VALID.replace("    size: 1M\n", "    file: lib\n"), 3, 5, "no file named 'lib'"),
        // truncate works on files, not on a mapping.
        bad(VALID.replace("op: munmap", "op: truncate"), 13, 5,
            "on a vma the operations are munmap, mprotect, madvise and mremap"),
        // mremap by 6 KiB: not a whole number of 4 KiB pages, at size (line 15).
        bad(VALID.replace("op: munmap\n    vma: heap\n", "op: mremap\n    vma: heap\n"
            + "    size: 6k\n"), 15, 5, "must be a non-negative multiple of 4k (machine.page_size), got 6k"),
        // mremap by the whole 1 MiB mapping would leave nothing of it.
        bad(VALID.replace("op: munmap\n    vma: heap\n", "op: mremap\n    vma: heap\n"
            + "    size: 1M\n"), 15, 5, "must leave part of mapping 'heap' (1048576 bytes)"),
        // mremap needs size (the bytes to cut off), reported at the job (line 12, column 3).
        bad(VALID.replace("op: munmap", "op: mremap"), 12, 3,
            "size is required for mremap"),
        // mremap shrinks from the end: no offset.
        bad(VALID.replace("op: munmap\n    vma: heap\n", "op: mremap\n    vma: heap\n"
            + "    offset: 64k\n    size: 64k\n"), 15, 5, "give only size"),
        // An mremap of a mapping that an mprotect of its middle splits: the mprotect job comes
        // second (lines 16 to 20) and is reported at its op (line 17).
        bad(VALID.replace("op: munmap\n    vma: heap\n", "op: mremap\n    vma: heap\n"
            + "    size: 64k\n").replace("designs:", "  protect:\n    op: mprotect\n"
            + "    vma: heap\n    offset: 64k\n    size: 64k\ndesigns:"), 17, 5,
            "is both mremapped (job unmap) and split by an mprotect of part of it (job"
            + " protect)"),
        // mremap without a named mapping.
        bad(VALID.replace("    op: munmap\n    vma: heap\n", "    op: mremap\n"
            + "    size: 64k\n"), 13, 5, "give vma:"));
  }

  static Arguments bad(String yaml, int line, int column, String fragment) {
    return MalformedKernelWorkloadTest.bad(yaml, line, column, fragment);
  }

  @ParameterizedTest(name = "[{index}] expect {1}:{2} {3}")
  @MethodSource("cases")
  void run_malformedVmaWorkload_exitsTwoWithLocatedMessage(String yaml, int line, int column,
      String fragment, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("w.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    MalformedKernelWorkloadTest.assertRejected(dir, file, file + ":" + line + ":" + column
        + ": ", fragment);
  }

  /** The valid base file is accepted (so each case above fails for its own reason). */
  @Test
  void validate_validBase_isAccepted(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("w.yaml");
    Files.writeString(file, VALID, StandardCharsets.UTF_8);
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"validate", file.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(err.toString()).isEmpty();
    assertThat(status).isZero();
  }
}
