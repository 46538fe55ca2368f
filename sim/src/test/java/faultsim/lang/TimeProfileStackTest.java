package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.Scenario;
import faultsim.workload.InputException;
import faultsim.machine.Task;
import faultsim.machine.TimeProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A time profile's stacks for a design's calls and returns: each stretch of work is charged to
 * the functions the task is in, outermost first, however the stack got there (a return, a call
 * of a function at a level another function held before, the same function at another depth).
 */
final class TimeProfileStackTest {
  private static final String DESIGN = """
      design prof;
      void leaf() { cpu(1us); }
      void mid() { leaf(); cpu(2us); }
      void other() { cpu(3us); leaf(); }
      void top() { mid(); other(); leaf(); mid(); }
      """;

  /**
   * One call of {@code top} at zero lock and call costs, all its time in {@code cpu}:
   * {@code mid} twice (its leaf 1 µs and its own 2 µs each time), {@code other} once (3 µs, then
   * its leaf 1 µs), and {@code leaf} from {@code top} itself (1 µs): 11 µs in all. After that the
   * task has exited until the run's end.
   */
  @Test
  void callsAndReturns_chargeTheStackTheWorkWasIn() throws InputException {
    Map<String, Long> folded = run(1);

    assertThat(folded).containsExactly(
        Map.entry("prof;[exited]", Scenario.END_NS - 11_000),
        Map.entry("prof;top;leaf", 1_000L),
        Map.entry("prof;top;mid", 4_000L),
        Map.entry("prof;top;mid;leaf", 2_000L),
        Map.entry("prof;top;other", 3_000L),
        Map.entry("prof;top;other;leaf", 1_000L));
  }

  /** Two tasks of one job, on a core each, doing the same: every stack's time twice over. */
  @Test
  void tasksOfOneJob_addUpInOneStack() throws InputException {
    Map<String, Long> folded = run(2);

    assertThat(folded).containsExactly(
        Map.entry("prof;[exited]", 2 * (Scenario.END_NS - 11_000)),
        Map.entry("prof;top;leaf", 2_000L),
        Map.entry("prof;top;mid", 8_000L),
        Map.entry("prof;top;mid;leaf", 4_000L),
        Map.entry("prof;top;other", 6_000L),
        Map.entry("prof;top;other;leaf", 2_000L));
  }

  private static final String SLEEPS = """
      design prof;
      void a() { schedule_timeout(1000); cpu(2us); schedule_timeout(3000); }
      void b() { schedule_timeout(4000); a(); schedule_timeout(5000); }
      void top() { a(); b(); schedule_timeout(6000); }
      """;

  /**
   * Time in a primitive other than {@code cpu} is charged to the primitive's own frame under the
   * function that called it, and the same primitive under other functions is a frame of each.
   * Sleeps of {@code top}'s {@code a}: 1 + 3 µs; of {@code b}: 4 + 5 µs; of {@code b}'s
   * {@code a}: 1 + 3 µs; of {@code top}: 6 µs; each {@code a} works 2 µs itself. 27 µs in all
   * (a zero-cost machine wakes a sleeper at once). Calls and returns move between the three
   * functions' sleeps, so the primitive's frame is found again under each of them in turn.
   */
  @Test
  void primitiveTime_chargedUnderEachCallingFunction() throws InputException {
    Map<String, Long> folded = run(SLEEPS, 1);

    assertThat(folded).containsExactly(
        Map.entry("prof;[exited]", Scenario.END_NS - 27_000),
        Map.entry("prof;top;a", 2_000L),
        Map.entry("prof;top;a;schedule_timeout;[sleep]", 4_000L),
        Map.entry("prof;top;b;a", 2_000L),
        Map.entry("prof;top;b;a;schedule_timeout;[sleep]", 4_000L),
        Map.entry("prof;top;b;schedule_timeout;[sleep]", 9_000L),
        Map.entry("prof;top;schedule_timeout;[sleep]", 6_000L));
  }

  private static Map<String, Long> run(int tasks) throws InputException {
    return run(DESIGN, tasks);
  }

  /** {@code tasks} tasks of job {@code prof}, each calling {@code top} once from time 0. */
  private static Map<String, Long> run(String design, int tasks) throws InputException {
    Runs r = new Runs(Scenario.zeroCost(tasks, false));
    TimeProfile profile = new TimeProfile();
    r.s.machine().setTimeListener(profile);
    CompiledDesign d = TestHost.compile(design);
    for (int i = 0; i < tasks; i++) {
      DesignProgram p = new DesignProgram(r.env, d.function("top"), () -> new Object[0], 0, 1);
      Task t = r.s.machine().spawn("prof/" + i, p, 0);
      t.setAttachment((TimeProfile.Stack) root -> p.call().descend(root));
    }
    r.runAll();
    r.s.machine().accountUpToNow();
    return profile.folded();
  }
}
