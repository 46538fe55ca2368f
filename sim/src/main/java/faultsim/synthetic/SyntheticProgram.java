package faultsim.synthetic;

import faultsim.engine.Dist;
import faultsim.locks.Lock;
import faultsim.machine.Device;
import faultsim.machine.Program;
import faultsim.machine.Task;
import java.util.List;
import java.util.Map;
import umontreal.ssj.rng.RandomStream;

/**
 * A closed-loop synthetic job: think (and wait for the next slot of a {@code rate}), then run
 * the steps; repeat {@code loops} times (0: until the run ends). An operation's latency runs from the first step to the end of the last; think
 * time is not part of it. Thinking is computation on the task's core (fio's
 * {@code thinktime_spin}) followed by a sleep ({@code thinktime}), either of them optional.
 */
public final class SyntheticProgram implements Program {
  private final List<Step> steps;
  private final Pacer pacer;
  private final long loops;
  private final Map<String, Lock> locks;
  private final Map<String, Device> devices;
  private final RandomStream stream;
  private final OpRecorder recorder;

  /** -1: pacing before the next operation; 0..n-1: next step; n: operation done. */
  private int pc = -1;
  private long opStartNs;
  private long done;

  public SyntheticProgram(List<Step> steps, Dist thinkSpin, Dist thinkSleep, long loops,
      Map<String, Lock> locks, Map<String, Device> devices, RandomStream stream,
      OpRecorder recorder) {
    this(steps, thinkSpin, thinkSleep, 0, loops, locks, devices, stream, recorder);
  }

  /** With operations started every {@code ratePeriodNs} at most (0: back to back). */
  public SyntheticProgram(List<Step> steps, Dist thinkSpin, Dist thinkSleep, long ratePeriodNs,
      long loops, Map<String, Lock> locks, Map<String, Device> devices, RandomStream stream,
      OpRecorder recorder) {
    this.steps = List.copyOf(steps);
    this.pacer = new Pacer(thinkSpin, thinkSleep, ratePeriodNs, stream);
    this.loops = loops;
    this.locks = locks;
    this.devices = devices;
    this.stream = stream;
    this.recorder = recorder;
    for (Step s : steps) {
      if (s instanceof Step.Acquire a) {
        requireLock(a.lock());
      } else if (s instanceof Step.Release r) {
        requireLock(r.lock());
      } else if (s instanceof Step.Io io && !devices.containsKey(io.device())) {
        throw new IllegalArgumentException("no device named '" + io.device() + "'");
      }
    }
  }

  private void requireLock(String name) {
    if (!locks.containsKey(name)) {
      throw new IllegalArgumentException("no lock named '" + name + "'; defined: "
          + locks.keySet());
    }
  }

  @Override
  public void step(Task t) {
    long now = t.machine().engine().now();
    if (pc == -1) {
      if (loops > 0 && done == loops) {
        t.exit();
        return;
      }
      if (pacer.step(t)) {
        return;
      }
      pc = 0;
      opStartNs = now;
    }
    if (pc < steps.size()) {
      execute(t, steps.get(pc++));
      return;
    }
    recorder.record(opStartNs, now);
    t.countOperation();
    done++;
    pc = -1;
  }

  private void execute(Task t, Step s) {
    if (s instanceof Step.Cpu c) {
      t.cpu(c.time().sample(stream));
    } else if (s instanceof Step.Sleep sl) {
      t.sleepFor(sl.time().sample(stream));
    } else if (s instanceof Step.Io io) {
      devices.get(io.device()).submitAndWait(t, io.write());
    } else if (s instanceof Step.Acquire a) {
      locks.get(a.lock()).acquire(t, a.write());
    } else if (s instanceof Step.Release r) {
      locks.get(r.lock()).release(t, r.write());
    }
  }
}
