package faultsim.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.workload.InputException;
import org.junit.jupiter.api.Test;

/**
 * Reading {@code /proc/lock_stat} as the kernel prints it (version 0.4): class lines by the
 * header's column names, rwsem sides as their own rows, contention point lines and separators
 * skipped, hold time averaged from holdtime-total (microseconds) over acquisitions.
 */
final class LockStatCaptureTest {
  // Shaped as kernel/locking/lockdep_proc.c prints it: a header, a class with its -W and -R
  // rows, its contention points, a spinlock class. Numbers chosen for hand arithmetic.
  static final String CAPTURE = """
      lock_stat version 0.4
      -----------------------------------------------------------------------------
                                    class name    con-bounces    contentions   waittime-min   waittime-max waittime-total   waittime-avg    acq-bounces   acquisitions   holdtime-min   holdtime-max holdtime-total   holdtime-avg
      -----------------------------------------------------------------------------

                            &mm->mmap_lock-W:            10             12           0.10          20.00          40.00           3.33             50            200           0.20          10.00         300.00           1.50
                            &mm->mmap_lock-R:             5              6           0.10           5.00          10.00           1.67           4000           8000           0.10           2.00        2000.00           0.25
                            ---------------
                            &mm->mmap_lock              7          [<ffffffff811d2b2e>] do_user_addr_fault+0x1de/0x6b0
                            ---------------
                            &mm->mmap_lock              3          [<ffffffff811d2b2e>] do_user_addr_fault+0x1de/0x6b0

      .............................................................................

                         &(&zone->lock)->rlock:             0              0           0.00           0.00           0.00           0.00              3            400           0.05           0.30          36.00           0.09
      """;

  @Test
  void classLines_byColumnName_holdAverageInNanoseconds() throws InputException {
    LockStatCapture c = LockStatCapture.parse("ls.txt", CAPTURE);
    assertThat(c.rows().keySet()).containsExactly("&mm->mmap_lock-W", "&mm->mmap_lock-R",
        "&(&zone->lock)->rlock");
    // -W: 300.00 us over 200 acquisitions = 1500 ns; -R: 2000 us / 8000 = 250 ns;
    // zone lock: 36 us / 400 = 90 ns.
    LockStatCapture.Row w = c.rows().get("&mm->mmap_lock-W");
    assertThat(w.acquisitions()).isEqualTo(200);
    assertThat(w.contentions()).isEqualTo(12);
    assertThat(w.holdAvgNs()).isEqualTo(1500.0);
    assertThat(c.rows().get("&mm->mmap_lock-R").holdAvgNs()).isEqualTo(250.0);
    assertThat(c.rows().get("&(&zone->lock)->rlock").holdAvgNs()).isEqualTo(90.0);
  }

  @Test
  void notACapture_isAnErrorAtItsStart() {
    assertThatThrownBy(() -> LockStatCapture.parse("x.txt", "hello\nworld\n"))
        .isInstanceOf(InputException.class).hasMessageContaining("x.txt:1:1: not a"
            + " /proc/lock_stat capture");
  }
}
