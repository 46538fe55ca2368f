package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.oracle.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a truncate that never unmaps leaves behind is a PTE past EOF, whatever that PTE now
 * maps. One reader faults a cached 64 KiB file once: 6.6's fault-around maps its 16-page window,
 * every page. 20 us later a truncate to 32 KiB runs under a design whose truncate_pagecache drops
 * the page cache past EOF but never unmaps (neither unmap_mapping_pages nor, per folio,
 * unmap_mapping_folio). By hand: the pages past the new
 * EOF are indices 8..15, so 8 PTEs stay mapped past i_size, each to a folio the truncate took
 * out of the page cache: 8 beyond_eof violations, and no stale_data (the data were never read
 * from freed blocks; the pages before EOF are untouched).
 */
final class TruncateClassificationTest {
  /** One reader faulting a cached 64 KiB file once; a truncate to 32 KiB 20 us later. */
  static final String YAML = """
          machine:
            cores: 2
          files:
            data:
              size: 64k
          global:
            runtime: 200us
          jobs:
            reader:
              rw: read
              file: data
              loops: 1
            trunc:
              op: truncate
              file: data
              size: 32k
              start_delay: 20us
              loops: 1
          designs: [%s]
          """;

  @TempDir Path dir;

  @Test
  void aTruncateThatNeverUnmaps_isBeyondEof_notStaleData() throws Exception {
    Path design = dir.resolve("no_unmap.design");
    Files.writeString(design, """
        design truncate_no_unmap extends linux_6_6;
        void truncate_pagecache(struct address_space *inode, loff_t newsize) {
            pgoff_t holebegin = (newsize + PAGE_SIZE - 1) >> PAGE_SHIFT;
            truncate_inode_pages_range(inode, holebegin, LAST_INDEX);
        }
        // Nor does it unmap a mapped folio as it removes it (truncate_inode_folio).
        void unmap_mapping_folio(struct folio *folio) {
        }
        """);
    String yaml = YAML.formatted(design);
    KernelRun r = KernelRuns.run(yaml, design.toString());
    assertThat(r.oracle().counts().get(Violation.BEYOND_EOF)).isEqualTo(8L);
    assertThat(r.oracle().counts().get(Violation.STALE_DATA)).isZero();
    assertThat(r.oracle().shown().get(0).summary()).contains("maps index 8 to a page at or past"
        + " i_size (8 pages), a folio no longer in the page cache after task trunc's truncate");
  }

  @Test
  void folioLeftInThePageCachePastEof_isBeyondEof() throws Exception {
    // The same run under a truncate that unmaps but never drops the page cache: the file starts
    // fully cached, so after a truncate to 32 KiB its folios at indices 8..15 are still in the
    // page cache past i_size: 8 violations, and no PTE among them (both unmaps ran).
    Path design = dir.resolve("keep_cache.design");
    Files.writeString(design, """
        design truncate_keeps_cache extends linux_6_6;
        void truncate_pagecache(struct address_space *inode, loff_t newsize) {
            pgoff_t holebegin = (newsize + PAGE_SIZE - 1) >> PAGE_SHIFT;
            unmap_mapping_pages(inode, holebegin, LAST_INDEX, true);
        }
        """);
    KernelRun r = KernelRuns.run(YAML.formatted(design), design.toString());
    assertThat(r.oracle().counts().get(Violation.BEYOND_EOF)).isEqualTo(8L);
    assertThat(r.oracle().counts().get(Violation.STALE_DATA)).isZero();
    assertThat(r.oracle().shown().get(0).summary()).isEqualTo("data index 8: the page cache"
        + " still holds a folio at or past i_size (8 pages) after task trunc's truncate"
        + " finished");
  }
}
