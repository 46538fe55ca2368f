package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code machine.page_size}: a file's bytes are pages of that size, and fault-around counts in
 * them. One reader touches a cached 1 MiB file in order, evenly paced so that one pass (as many
 * touches as the file has pages) fits in the 999 us measured; the faults of that pass are
 * counted by hand.
 */
final class PageSizeTest {
  @ParameterizedTest(name = "{0} pages, fault-around {1}: {3} faults")
  @CsvSource({
      // 1 MiB / 4 KiB = 256 pages; fault-around of one page is off: every page faults.
      "4k, 4k, 256000/s, 256",
      // 1 MiB / 64 KiB = 16 pages; the default 64k window is one such page: off, 16 faults.
      "64k, 64k, 16000/s, 16",
      // 1 MiB / 16 KiB = 64 pages; a 64k window is 4 of them: pages 0, 4, ..., 60 fault.
      "16k, 64k, 64000/s, 16",
      // 64 pages of 16 KiB with a 4k window: max(4k, PAGE_SIZE) is one page, off again.
      "16k, 4k, 64000/s, 64"})
  void oneSequentialPassOverOneMebibyte(String pageSize, String faultAround, String rate,
      long faults, @TempDir Path dir) throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, String.join("\n",
        "machine: {page_size: " + pageSize + "}",
        "kernel: {fault_around_bytes: " + faultAround + "}",
        "files: {lib: {size: 1M}}",
        "global: {runtime: 999us}",
        "jobs:",
        "  reader: {rw: read, file: lib, rate: " + rate + "}",
        "replications: 1",
        ""));
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    assertThat(Main.execute(new String[] {"run", w.toString(), "--out", out.toString(),
        "--threads", "1"}, new PrintWriter(new StringWriter()), new PrintWriter(err)))
        .as(err.toString()).isZero();
    assertThat(Files.readAllLines(out.resolve("summary.csv")))
        .contains("linux_6_6,vmstat,PGFAULT," + faults + ",,count,1")
        .contains("linux_6_6,reader,operations," + faults + ",,ops,1");
  }
}
