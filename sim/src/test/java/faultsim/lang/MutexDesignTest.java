package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.machine.SpinlockKind;
import org.junit.jupiter.api.Test;
import umontreal.ssj.rng.MRG32k3a;

/**
 * Two tasks on a 2-core machine run a design function that takes a mutex around {@code cpu(1us)}:
 * the exact order of design events and the completion times, with the default cost profile
 * (atomic on an owned line 5 ns, line transfer within a socket 47 ns, a line no core has
 * touched yet fetched from memory in 82 ns, wake-up 2 us).
 */
final class MutexDesignTest {
  private static final String DESIGN = """
      design mutex_demo;
      // one mutex around a microsecond of work
      void critical(struct box *b) {
          mutex_lock(&b->lock);
          cpu(1us);
          mutex_unlock(&b->lock);
      }

      int try_critical(struct box *b) {
          if (!mutex_trylock(&b->lock)) {
              cpu(100ns);
              return 0;
          }
          cpu(1us);
          mutex_unlock(&b->lock);
          return 1;
      }
      """;

  private record Run(Scenario s, TraceLog log, DesignProgram a, DesignProgram b, Box box) {}

  private static Run run(boolean spinOnOwner, String function) throws Exception {
    CompiledDesign d = TestHost.compile(DESIGN);
    Scenario s = new Scenario(new MachineSpec(2, 1, SpinlockKind.QUEUED, spinOnOwner,
        CostProfile.DEFAULT));
    Box box = new Box(s.locks(), 1);
    RunEnv env = new RunEnv(new MRG32k3a());
    TraceLog log = new TraceLog();
    env.setTrace(log);
    DesignProgram a = new DesignProgram(env, d.function(function), () -> new Object[] {box}, 0, 1);
    DesignProgram b = new DesignProgram(env, d.function(function), () -> new Object[] {box}, 0, 1);
    s.machine().spawn("A", a, 0);
    s.machine().spawn("B", b, 0);
    s.run();
    return new Run(s, log, a, b, box);
  }

  @Test
  void critical_secondTaskSleeps_wokenAfterUnlockAndWakeupLatency() throws Exception {
    // No optimistic spinning. Both tasks start at 0, A on cpu0, B on cpu1.
    //   0     A mutex_lock: the line was never touched -> fetched from memory at 82; A owns,
    //         busy to 82
    //   0     B mutex_lock: owner A -> B sleeps on the wait list; its atomic takes the line
    //         once A's fetch is done (82 -> 129)
    //   82    A cpu(1us) to 1082
    //   1082  A mutex_unlock: the line is cpu1's -> 47; wakes B (wake-up 2 us); A
    //         returns at 1129
    //   3082  B back on cpu1, retries: line owned by cpu0 -> 47; takes the free lock,
    //         goes on at 3129
    //   3129  B cpu(1us) to 4129; mutex_unlock on its own line: 5 -> returns at 4134
    Run r = run(false, "critical");

    assertThat(r.log.lines).containsExactly(
        "0 A enter critical",
        "0 A mutex_lock @test.design:4:5",
        "0 B enter critical",
        "0 B mutex_lock @test.design:4:5",
        "82 A cpu @test.design:5:5",
        "1082 A mutex_unlock @test.design:6:5",
        "1129 A exit critical",
        "3129 B cpu @test.design:5:5",
        "4129 B mutex_unlock @test.design:6:5",
        "4134 B exit critical");
    assertThat(r.a.finishTimes()).containsExactly(1129L);
    assertThat(r.b.finishTimes()).containsExactly(4134L);
    // lock_stat: B waited 0 -> 3129 (it holds the lock once its retry's atomic completes).
    assertThat(r.box.lock.lockClass().write().contentions()).isEqualTo(1);
    assertThat(r.box.lock.lockClass().write().waitTotalNs()).isEqualTo(3129);
  }

  @Test
  void critical_ownerRunning_secondTaskSpinsAndGetsHandoffAfterThreeTransfers()
      throws Exception {
    // Optimistic spinning on.
    //   0     A takes the lock (82, from memory); B finds the owner running and spins on
    //         cpu1, its cmpxchg having taken the line after A's fetch (82 -> 129)
    //   82    A cpu(1us) to 1082
    //   1082  A unlocks: its atomic takes the line back from cpu1 (47 -> 1129); spinner B
    //         re-reads the owner word (1176) and takes the lock with its cmpxchg, which
    //         invalidates A's copy (1223)
    //   1223  B cpu(1us) to 2223; unlock on the line B owns: 5 -> 2228
    Run r = run(true, "critical");

    assertThat(r.log.lines).containsExactly(
        "0 A enter critical",
        "0 A mutex_lock @test.design:4:5",
        "0 B enter critical",
        "0 B mutex_lock @test.design:4:5",
        "82 A cpu @test.design:5:5",
        "1082 A mutex_unlock @test.design:6:5",
        "1129 A exit critical",
        "1223 B cpu @test.design:5:5",
        "2223 B mutex_unlock @test.design:6:5",
        "2228 B exit critical");
    assertThat(r.a.finishTimes()).containsExactly(1129L);
    assertThat(r.b.finishTimes()).containsExactly(2228L);
    assertThat(r.s.machine().core(1).spinNs()).isEqualTo(1223);
  }

  @Test
  void tryCritical_lockTaken_trylockFailsAndTakesTheShortPath() throws Exception {
    //   0     A mutex_trylock: free -> taken, result 1 after the atomic (82: from memory)
    //   0     B mutex_trylock: owner A -> result 0 after the atomic, which waits for A's
    //         fetch and takes the line from cpu0 (82 -> 129)
    //   82    A reads 1: cpu(1us) to 1082, unlock 47 (line is cpu1's) -> returns 1 at 1129
    //   129   B reads 0: cpu(100ns) to 229 -> returns 0 at 229
    Run r = run(false, "try_critical");

    assertThat(r.log.lines).containsExactly(
        "0 A enter try_critical",
        "0 A mutex_trylock @test.design:10:10",
        "0 B enter try_critical",
        "0 B mutex_trylock @test.design:10:10",
        "82 A cpu @test.design:14:5",
        "129 B cpu @test.design:11:9",
        "229 B exit try_critical = 0",
        "1082 A mutex_unlock @test.design:15:5",
        "1129 A exit try_critical = 1");
    assertThat(r.a.results()).containsExactly(1L);
    assertThat(r.b.results()).containsExactly(0L);
    assertThat(r.a.finishTimes()).containsExactly(1129L);
    assertThat(r.b.finishTimes()).containsExactly(229L);
    assertThat(r.box.lock.lockClass().write().acquisitions()).isEqualTo(1);
  }
}
