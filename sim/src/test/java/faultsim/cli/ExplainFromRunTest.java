package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain DESIGN --from-run DIR}: the lock order a run took beside the one the design
 * implies. The run: two threads write-faulting anonymous memory on two cores, 200 us, two
 * replications, under mmap_lock_only and linux_6_6.
 *
 * <p>Worked out from the designs: an anonymous write fault takes the PTE lock to install its
 * PTE (do_anonymous_page: pte_offset_map_lock) while holding what guards the VMA. Under
 * mmap_lock_only that is always &amp;mm-&gt;mmap_lock, so the one pair is mmap_lock -&gt; ptl.
 * Under linux_6_6 the first fault of each VMA finds no anon_vma and falls back to mmap_lock
 * (lock_vma_under_rcu refuses a VMA without one), so it takes mmap_lock -&gt; ptl once; every
 * later fault holds the VMA's read lock, taken by vma_start_read's trylock: vm_lock -&gt; ptl.
 * That pair is not in the static order, which keeps only the locks held on every path, and a
 * trylock is held only on the path where it succeeded.
 */
final class ExplainFromRunTest {
  @TempDir static Path tmp;
  static Path run;

  @BeforeAll
  static void runOnce() {
    run = tmp.resolve("anon");
    assertThat(RunCommandTest.run("run",
        RunCommandTest.WORKLOADS.resolve("anon-faults-vs-threads.yaml").toString(), "--out",
        run.toString(), "--set", "machine.cores=2", "--set", "jobs.fault.numjobs=2", "--set",
        "global.runtime=200us", "--replications", "2")).isZero();
  }

  private static String[] explain(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {String.valueOf(status), out.toString(), err.toString()};
  }

  @Test
  void theRunWritesTheOrderItTook_perDesign() throws Exception {
    assertThat(Files.readAllLines(run.resolve("lock_order.csv"))).extracting(
        l -> l.substring(0, l.lastIndexOf(','))).containsExactly(
        "design,from,to,replications",
        "mmap_lock_only,&mm->mmap_lock,ptlock_ptr(ptdesc),2",
        "linux_6_6,&mm->mmap_lock,ptlock_ptr(ptdesc),2",
        "linux_6_6,&vma->vm_lock,ptlock_ptr(ptdesc),2");
  }

  @Test
  void explainFromRun_listsTheObservedPairs_andWhatTheStaticOrderLacks() {
    String[] r = explain("explain", "linux_6_6", "--from-run", run.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    String observed = r[1].substring(r[1].indexOf("lock order observed in"));
    assertThat(observed).startsWith("lock order observed in " + run
        + " (2 replications; A -> B: B taken or waited for with A held):\n"
        + "  &mm->mmap_lock -> ptlock_ptr(ptdesc)  (2 of 2)\n"
        + "  &vma->vm_lock -> ptlock_ptr(ptdesc)  (2 of 2)\n"
        + "implied but not taken by these runs:\n");
    assertThat(observed).endsWith("taken but not implied (orders of some paths only; the static"
        + " order keeps those of every path):\n  &vma->vm_lock -> ptlock_ptr(ptdesc)\n");
    // Implied pairs of file faults and truncation, which anonymous faults never take.
    assertThat(observed).contains("  &mapping->invalidate_lock -> PG_locked\n");
  }

  @Test
  void explainFromRun_ofADesignTheRunDidNotRun_orOfNoRun_exitsTwo() {
    String[] other = explain("explain", "spf_2019", "--from-run", run.toString());
    assertThat(other[0]).isEqualTo("2");
    assertThat(other[2]).contains(run + ": the run has no design spf_2019; it ran"
        + " mmap_lock_only, linux_6_6").doesNotContain("Exception");
    String[] none = explain("explain", "linux_6_6", "--from-run", tmp.resolve("nope").toString());
    assertThat(none[0]).isEqualTo("2");
    assertThat(none[2]).contains("no manifest.json; expected the results directory of a run");
  }
}
