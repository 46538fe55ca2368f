package faultsim.hunt;

import faultsim.lang.Perturbation;
import faultsim.lang.Primitive;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The perturbations a hunt runs with: one object per run, since they count the points. */
public final class Perturbations {
  private Perturbations() {}

  /** Counts every point and records the delays it gives. */
  public abstract static class Recording implements Perturbation {
    private long points;
    private final List<Point> applied = new ArrayList<>();

    @Override
    public final long delayNs(Task t, long ordinal, String primitive) {
      return delay(t, ordinal, primitive);
    }

    @Override
    public final long delayNs(Task t, long ordinal, Primitive primitive, Object[] args) {
      observe(t, ordinal, primitive, args);
      return delay(t, ordinal, primitive.name());
    }

    private long delay(Task t, long ordinal, String primitive) {
      long d = decide(t, ordinal, primitive, ++points);
      if (d > 0) {
        applied.add(new Point(t.name(), ordinal, primitive, d));
      }
      return d;
    }

    /**
     * Sees each point before its delay is decided, with the primitive and the call's arguments
     * when {@link #observesArguments()} is true.
     */
    void observe(Task t, long ordinal, Primitive primitive, Object[] args) {}

    /** The delay at the {@code index}-th point of the run (1 for the first, over all tasks). */
    abstract long decide(Task t, long ordinal, String primitive, long index);

    /** Points the run passed. */
    public long points() {
      return points;
    }

    /** The delays given, in simulation order. */
    public List<Point> applied() {
      return List.copyOf(applied);
    }
  }

  /** No delay anywhere: counts the points of an unperturbed run. */
  public static Recording none() {
    return new Recording() {
      @Override
      long decide(Task t, long ordinal, String primitive, long index) {
        return 0;
      }
    };
  }

  /** No delay anywhere; counts each task's points. */
  public static final class Counting extends Recording {
    private final Map<String, Long> perTask = new java.util.TreeMap<>();

    @Override
    long decide(Task t, long ordinal, String primitive, long index) {
      perTask.put(t.name(), ordinal);
      return 0;
    }

    /** Points per task, by task name in order. */
    public Map<String, Long> perTask() {
      return java.util.Collections.unmodifiableMap(perTask);
    }
  }

  /**
   * Delays at the given points of the given tasks, whatever primitive is called there:
   * {@code delays.get(task).get(ordinal)} nanoseconds.
   */
  public static Recording atTaskPoints(Map<String, Map<Long, Long>> delays) {
    return new Recording() {
      @Override
      long decide(Task t, long ordinal, String primitive, long index) {
        Map<Long, Long> mine = delays.get(t.name());
        Long d = mine == null ? null : mine.get(ordinal);
        return d == null ? 0 : d;
      }
    };
  }

  /**
   * PCT-style: at each of the given change points (indices over all tasks' points, in simulation
   * order) the running task is delayed by the matching delay, long enough for other tasks to
   * overtake it (Burckhardt et al., ASPLOS 2010, with a delay standing in for a lowered
   * priority).
   */
  public static Recording changePoints(long[] indices, long[] delays) {
    long[] at = indices.clone();
    long[] d = delays.clone();
    return new Recording() {
      @Override
      long decide(Task t, long ordinal, String primitive, long index) {
        int i = Arrays.binarySearch(at, index);
        return i >= 0 ? d[i] : 0;
      }
    };
  }

  /** Each point delayed with probability {@code p}, by a delay {@code delays} draws. */
  public static Recording random(SplittableRandom rnd, double p, DelayRange delays) {
    return new Recording() {
      @Override
      long decide(Task t, long ordinal, String primitive, long index) {
        return rnd.nextDouble() < p ? delays.draw(rnd) : 0;
      }
    };
  }

  /** Exactly the delays of {@code points}, each where its task, ordinal and primitive match. */
  public static Recording replay(List<Point> points) {
    Map<String, Map<Long, Point>> byTask = new HashMap<>();
    for (Point p : points) {
      byTask.computeIfAbsent(p.task(), k -> new HashMap<>()).put(p.ordinal(), p);
    }
    return new Recording() {
      @Override
      long decide(Task t, long ordinal, String primitive, long index) {
        Map<Long, Point> mine = byTask.get(t.name());
        Point p = mine == null ? null : mine.get(ordinal);
        return p != null && p.primitive().equals(primitive) ? p.delayNs() : 0;
      }
    };
  }

  /**
   * How runs call a design when each run's tasks are delayed at {@code points} (a schedule's
   * delays applied to ordinary runs: {@code run --schedule}).
   */
  public static java.util.function.Function<faultsim.lang.CompiledDesign,
      faultsim.fault.KernelRun.Binding> binder(List<Point> points) {
    return d -> faultsim.fault.Designs.binding(d, () -> replay(points));
  }

  /** Delays drawn log-uniformly from {@code [lo, hi]} nanoseconds. */
  public record DelayRange(long lo, long hi) {
    public DelayRange {
      if (lo < 1 || hi < lo) {
        throw new IllegalArgumentException("bad delay range [" + lo + ", " + hi + "]");
      }
    }

    long draw(SplittableRandom rnd) {
      double x = Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo));
      return Math.max(lo, Math.min(hi, Math.round(Math.exp(x))));
    }
  }
}
