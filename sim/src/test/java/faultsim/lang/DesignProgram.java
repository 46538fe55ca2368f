package faultsim.lang;

import faultsim.machine.Program;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An example driver: the {@link Program} a job runs to call a design function in a closed
 * loop. Think (compute for {@code thinkNs}), start a call, delegate each step to the
 * {@link DesignCall} until it finishes, record the latency and the returned value; after
 * {@code loops} calls, exit.
 */
final class DesignProgram implements Program {
  private final DesignCall call;
  private final FunctionHandle fn;
  private final Supplier<Object[]> args;
  private final long thinkNs;
  private final int loops;
  private final List<Long> latencies = new ArrayList<>();
  private final List<Object> results = new ArrayList<>();
  private final List<Long> finishTimes = new ArrayList<>();
  private boolean thought;
  private long startNs;

  DesignProgram(RunEnv env, FunctionHandle fn, Supplier<Object[]> args, long thinkNs, int loops) {
    this.call = new DesignCall(env);
    this.fn = fn;
    this.args = args;
    this.thinkNs = thinkNs;
    this.loops = loops;
  }

  @Override
  public void step(Task t) {
    long now = t.machine().engine().now();
    if (!call.running()) {
      if (latencies.size() == loops) {
        t.exit();
        return;
      }
      if (!thought && thinkNs > 0) {
        thought = true;
        t.cpu(thinkNs);
        return;
      }
      thought = false;
      startNs = now;
      call.start(fn, args.get());
    }
    call.step(t);
    if (call.finished()) {
      latencies.add(now - startNs);
      finishTimes.add(now);
      results.add(call.returnValue());
    }
  }

  DesignCall call() {
    return call;
  }

  List<Long> latencies() {
    return latencies;
  }

  List<Long> finishTimes() {
    return finishTimes;
  }

  List<Object> results() {
    return results;
  }
}
