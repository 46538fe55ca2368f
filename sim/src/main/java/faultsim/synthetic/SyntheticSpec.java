package faultsim.synthetic;

import faultsim.engine.Dist;
import faultsim.locks.LockKind;
import faultsim.machine.MachineSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A synthetic experiment: a machine, named lock instances and devices, and jobs whose tasks loop
 * over step lists.
 *
 * @param machine the machine
 * @param locks lock instances the steps name
 * @param devices storage devices the steps name
 * @param jobs the jobs
 * @param rampNs simulated time before measuring starts ({@code ramp_time})
 * @param runtimeNs simulated time measured ({@code runtime})
 */
public record SyntheticSpec(
    MachineSpec machine,
    List<LockSpec> locks,
    List<DeviceSpec> devices,
    List<JobSpec> jobs,
    long rampNs,
    long runtimeNs) {

  public SyntheticSpec {
    locks = List.copyOf(locks);
    devices = List.copyOf(devices);
    jobs = List.copyOf(jobs);
    if (rampNs < 0 || runtimeNs <= 0) {
      throw new IllegalArgumentException(
          "ramp_time must be >= 0 and runtime > 0; were " + rampNs + " ns and " + runtimeNs + " ns");
    }
    Set<String> names = new HashSet<>();
    for (LockSpec l : locks) {
      if (!names.add(l.name())) {
        throw new IllegalArgumentException("lock '" + l.name() + "' defined twice");
      }
    }
    Set<String> jobNames = new HashSet<>();
    for (JobSpec j : jobs) {
      if (!jobNames.add(j.name())) {
        throw new IllegalArgumentException("job '" + j.name() + "' defined twice");
      }
    }
  }

  /**
   * A lock instance.
   *
   * @param name the name steps use
   * @param className the lockdep class it is reported under
   * @param kind its family
   */
  public record LockSpec(String name, String className, LockKind kind) {}

  /** A storage device. */
  public record DeviceSpec(String name, int queueDepth, Dist readLatency, Dist writeLatency) {}

  /**
   * A job: {@code numjobs} tasks running the same loop.
   *
   * @param name job name
   * @param numjobs how many tasks
   * @param thinktimeSpin computation on the CPU before each operation (null: none)
   * @param thinktime sleep before each operation, after any spin (null: none)
   * @param loops operations per task, 0 for unlimited
   * @param steps the operation
   * @param startDelayNs when the job's tasks start
   * @param ratePeriodNs time between operation starts of a task (0: back to back)
   */
  public record JobSpec(String name, int numjobs, Dist thinktimeSpin, Dist thinktime, long loops,
      List<Step> steps, long startDelayNs, long ratePeriodNs) {
    /** Without a rate. */
    public JobSpec(String name, int numjobs, Dist thinktimeSpin, Dist thinktime, long loops,
        List<Step> steps, long startDelayNs) {
      this(name, numjobs, thinktimeSpin, thinktime, loops, steps, startDelayNs, 0);
    }

    public JobSpec {
      steps = List.copyOf(steps);
      if (numjobs < 1) {
        throw new IllegalArgumentException("job " + name + ": numjobs must be >= 1, was " + numjobs);
      }
      if (loops < 0 || startDelayNs < 0 || ratePeriodNs < 0) {
        throw new IllegalArgumentException("job " + name + ": loops and start delay must be >= 0");
      }
    }
  }

  /**
   * The random streams this experiment draws from, in a fixed order that depends only on the
   * jobs and devices (never on a design): one per task, one per device.
   */
  public List<String> streamNames() {
    List<String> names = new ArrayList<>();
    for (JobSpec j : jobs) {
      for (int i = 0; i < j.numjobs(); i++) {
        names.add(taskStream(j.name(), i));
      }
    }
    for (DeviceSpec d : devices) {
      names.add(deviceStream(d.name()));
    }
    return names;
  }

  static String taskStream(String job, int index) {
    return "job/" + job + "/" + index;
  }

  static String deviceStream(String device) {
    return "device/" + device;
  }
}
