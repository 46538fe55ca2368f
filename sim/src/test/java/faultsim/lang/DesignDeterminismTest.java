package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.RandomStreams;
import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same design and seed give the same run, event for event: four tasks on two cores contend
 * for a mutex around random compute times drawn with {@code cpu(exp(...))}.
 */
final class DesignDeterminismTest {
  private static final String DESIGN = """
      design contended;
      // a mutex around an exponential critical section, with some work before it
      int op(struct box *b) {
          cpu(uniform(100ns, 2us));
          mutex_lock(&b->lock);
          cpu(exp(1us));
          b->value = b->value + 1;
          mutex_unlock(&b->lock);
          return b->value;
      }
      """;

  private static List<String> run(long seed) throws InputException {
    CompiledDesign d = TestHost.compile(DESIGN);
    Scenario s = new Scenario(MachineSpec.of(2));
    RandomStreams streams = RandomStreams.create(seed, List.of("design")).forReplication(0);
    RunEnv env = new RunEnv(streams.stream("design"));
    TraceLog log = new TraceLog();
    env.setTrace(log);
    Box box = new Box(s.locks(), 1);
    List<DesignProgram> programs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      DesignProgram p = new DesignProgram(env, d.function("op"), () -> new Object[] {box},
          500, 25);
      programs.add(p);
      s.machine().spawn("t" + i, p, 0);
    }
    s.run();
    List<String> out = new ArrayList<>(log.lines);
    for (DesignProgram p : programs) {
      out.add(p.latencies() + " " + p.results());
    }
    return out;
  }

  @Test
  void sameSeed_sameEventsTimesAndResults() throws InputException {
    List<String> first = run(42);
    assertThat(first).hasSizeGreaterThan(400);
    assertThat(run(42)).isEqualTo(first);
  }

  @Test
  void otherSeed_otherTimes() throws InputException {
    assertThat(run(43)).isNotEqualTo(run(42));
  }
}
