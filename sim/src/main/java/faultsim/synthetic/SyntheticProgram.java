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
 * A closed-loop synthetic job: think, then run the steps; repeat {@code loops} times (0: until
 * the run ends). An operation's latency runs from the first step to the end of the last; think
 * time is not part of it. Thinking is computation on the task's core (fio's
 * {@code thinktime_spin}) followed by a sleep ({@code thinktime}), either of them optional.
 */
public final class SyntheticProgram implements Program {
  private final List<Step> steps;
  private final Dist thinkSpin;
  private final Dist thinkSleep;
  private final long loops;
  private final Map<String, Lock> locks;
  private final Map<String, Device> devices;
  private final RandomStream stream;
  private final OpRecorder recorder;

  /** -2: about to spin-think; -1: about to sleep-think; 0..n-1: next step; n: operation done. */
  private int pc = -2;
  private long opStartNs;
  private long done;

  public SyntheticProgram(List<Step> steps, Dist thinkSpin, Dist thinkSleep, long loops,
      Map<String, Lock> locks, Map<String, Device> devices, RandomStream stream,
      OpRecorder recorder) {
    this.steps = List.copyOf(steps);
    this.thinkSpin = thinkSpin;
    this.thinkSleep = thinkSleep;
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
    if (pc == -2) {
      if (loops > 0 && done == loops) {
        t.exit();
        return;
      }
      pc = -1;
      if (thinkSpin != null) {
        t.cpu(thinkSpin.sample(stream));
        return;
      }
    }
    if (pc == -1) {
      pc = 0;
      if (thinkSleep != null) {
        long ns = thinkSleep.sample(stream);
        if (ns > 0) {
          t.sleepFor(ns);
          return;
        }
      }
    }
    if (pc == 0) {
      opStartNs = now;
    }
    if (pc < steps.size()) {
      execute(t, steps.get(pc++));
      return;
    }
    recorder.record(opStartNs, now);
    done++;
    pc = -2;
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
