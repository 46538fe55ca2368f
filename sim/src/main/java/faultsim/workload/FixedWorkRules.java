package faultsim.workload;

import faultsim.engine.Dist;
import faultsim.fault.FaultWork;
import faultsim.fault.KernelSpec.FaultJob;
import faultsim.workload.WorkloadDoc.GlobalDoc;
import faultsim.workload.WorkloadDoc.JobDoc;
import java.util.List;

/**
 * The workload rules of fixed work and task start: a fault job's {@code passes},
 * {@code pages} and {@code between_passes}, when {@code runtime} may be left out, and which
 * jobs take a {@code start_delay} distribution.
 */
final class FixedWorkRules {
  /**
   * The limit on a fixed-work run's simulated time when the workload gives no runtime: far
   * beyond any fixed work an example asks for, it only stops a run whose work cannot finish.
   */
  static final long DEFAULT_LIMIT_NS = 60_000_000_000L;

  private FixedWorkRules() {}

  /**
   * A fault job's work: its passes or pages, what it does between passes, and its tasks'
   * regions: {@code numjobs} regions of {@code size} bytes {@code offset_increment} apart from
   * {@code offset}, all within a file of {@code fileSize} bytes ({@code Long.MAX_VALUE} for
   * anonymous memory, which has no offset to increment).
   */
  static FaultWork work(Resolver r, KernelJobs k, String name, JobDoc j, GlobalDoc g,
      int numjobs, long offset, long size, long fileSize) throws InputException {
    String ptr = "/jobs/" + name;
    Long loops = j.loops() != null ? j.loops() : g.loops();
    if ((j.passes() != null || j.pages() != null) && loops != null && loops != 0) {
      throw r.error(j.loops() != null ? ptr + "/loops" : "/global/loops", "jobs." + name
          + ": loops (a count of faults) cannot end a job with fixed work; give passes or"
          + " pages alone");
    }
    long increment = k.bytes(ptr + "/offset_increment", j.offsetIncrement(), 0);
    if (j.offsetIncrement() != null && fileSize == Long.MAX_VALUE) {
      throw r.error(ptr + "/offset_increment", "jobs." + name + ": an anon mapping has no file"
          + " offset to increment");
    }
    long last = offset + (numjobs - 1) * increment + size;
    if (increment > 0 && last > fileSize) {
      throw r.error(ptr + "/offset_increment", "jobs." + name + ": the last of " + numjobs
          + " tasks' regions, [" + (last - size) + ", " + last + "), goes past the end of the"
          + " file (" + fileSize + " bytes)");
    }
    if (j.passes() != null && j.pages() != null) {
      throw r.error(ptr + "/pages", "jobs." + name + ": give passes or pages, not both");
    }
    if (j.passes() != null && j.passes() < 1) {
      throw r.error(ptr + "/passes", "jobs." + name + ".passes must be >= 1, got " + j.passes());
    }
    if (j.pages() != null && j.pages() < 1) {
      throw r.error(ptr + "/pages", "jobs." + name + ".pages must be >= 1, got " + j.pages());
    }
    FaultWork.BetweenPasses between = j.betweenPasses() == null
        ? FaultWork.BetweenPasses.DONTNEED
        : r.convert(ptr + "/between_passes", j.betweenPasses(), v -> {
          try {
            return FaultWork.BetweenPasses.parse(v);
          } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ex.getMessage()
                + Suggest.didYouMean(v, List.of("dontneed", "munmap")));
          }
        });
    return new FaultWork(j.passes() == null ? 0 : j.passes(), j.pages() == null ? 0 : j.pages(),
        between, increment);
  }

  /** Refuses the fault-job keys on a job of another kind ({@code what}). */
  static void faultKeysAbsent(Resolver r, String name, JobDoc j, String what)
      throws InputException {
    String ptr = "/jobs/" + name;
    String key = j.passes() != null ? "passes" : j.pages() != null ? "pages"
        : j.betweenPasses() != null ? "between_passes"
        : j.offsetIncrement() != null ? "offset_increment" : null;
    if (key != null) {
      throw r.error(ptr + "/" + key, "jobs." + name + "." + key + " applies to fault jobs (rw:),"
          + " not to " + what);
    }
  }

  /**
   * The run's runtime: as given, or, when every fault job has fixed work and none was given,
   * {@link #DEFAULT_LIMIT_NS}. A workload with neither is refused at {@code global}, and a ramp
   * with fixed work at {@code ramp_time} (fixed work is measured from its start).
   *
   * @param runtimeNs the runtime given, 0 for none
   */
  static long runtime(Resolver r, boolean hasGlobal, GlobalDoc g, long runtimeNs, long rampNs,
      List<FaultJob> faultJobs) throws InputException {
    boolean anyFixed = faultJobs.stream().anyMatch(f -> f.work().fixed());
    boolean allFixed = !faultJobs.isEmpty() && faultJobs.stream().allMatch(f -> f.work().fixed());
    if (anyFixed && rampNs > 0) {
      throw r.error("/global/ramp_time", "global.ramp_time: a run with fixed work (passes or"
          + " pages) is measured from its start; leave ramp_time out");
    }
    if (runtimeNs > 0) {
      return runtimeNs;
    }
    if (!allFixed) {
      throw r.error(hasGlobal ? "/global" : "", "global.runtime is required: how much simulated"
          + " time to measure, e.g. runtime: 100ms (or give every fault job fixed work:"
          + " passes: N or pages: N)");
    }
    return DEFAULT_LIMIT_NS;
  }

  /** A synthetic job's start delay, which must be a constant. */
  static long constantStartDelay(Resolver r, String name, JobDoc j, Dist delay)
      throws InputException {
    if (delay instanceof Dist.Constant c) {
      return c.ns();
    }
    throw r.error(j.startDelay() != null ? "/jobs/" + name + "/start_delay"
        : "/global/start_delay", "jobs." + name + ".start_delay: a synthetic job starts all its"
        + " tasks at one time; give a time such as 10us, not a distribution");
  }
}
