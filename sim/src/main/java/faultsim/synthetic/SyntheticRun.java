package faultsim.synthetic;

import faultsim.engine.Engine;
import faultsim.engine.RandomStreams;
import faultsim.locks.Lock;
import faultsim.locks.Locks;
import faultsim.machine.Device;
import faultsim.machine.Machine;
import faultsim.synthetic.SyntheticSpec.DeviceSpec;
import faultsim.synthetic.SyntheticSpec.JobSpec;
import faultsim.synthetic.SyntheticSpec.LockSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one replication of a {@link SyntheticSpec}: builds the machine, locks, devices and tasks,
 * simulates the ramp, resets every statistic, then simulates the measured runtime.
 */
public final class SyntheticRun {
  private final SyntheticSpec spec;
  private final Engine engine = new Engine();
  private final Machine machine;
  private final Locks locks;
  private final Map<String, OpRecorder> recorders = new LinkedHashMap<>();

  /**
   * @param streams this replication's streams (from {@link RandomStreams#forReplication}); must
   *     contain {@link SyntheticSpec#streamNames()}
   */
  public SyntheticRun(SyntheticSpec spec, RandomStreams streams) {
    this.spec = spec;
    this.machine = new Machine(engine, spec.machine());
    this.locks = new Locks(machine);
    Map<String, Lock> lockMap = new LinkedHashMap<>();
    for (LockSpec l : spec.locks()) {
      lockMap.put(l.name(), locks.create(l.className(), l.kind()));
    }
    Map<String, Device> devices = devices(spec, machine, streams);
    spawnJobs(spec, machine, lockMap, devices, streams, recorders);
  }

  /**
   * Starts the tasks of {@code spec}'s synthetic jobs on {@code machine}, one recorder per job
   * added to {@code recorders}.
   */
  public static void spawnJobs(SyntheticSpec spec, Machine machine, Map<String, Lock> lockMap,
      Map<String, Device> devices, RandomStreams streams, Map<String, OpRecorder> recorders) {
    for (JobSpec j : spec.jobs()) {
      OpRecorder rec = new OpRecorder(j.name());
      recorders.put(j.name(), rec);
      for (int i = 0; i < j.numjobs(); i++) {
        SyntheticProgram p = new SyntheticProgram(j.steps(), j.thinktimeSpin(), j.thinktime(),
            j.ratePeriodNs(), j.loops(), lockMap, devices,
            streams.stream(SyntheticSpec.taskStream(j.name(), i)), rec);
        machine.spawn(j.numjobs() == 1 ? j.name() : j.name() + "/" + i, p, j.startDelayNs());
      }
    }
  }

  /** Builds the devices of {@code spec} on {@code machine}. */
  public static Map<String, Device> devices(SyntheticSpec spec, Machine machine,
      RandomStreams streams) {
    Map<String, Device> devices = new LinkedHashMap<>();
    for (DeviceSpec d : spec.devices()) {
      devices.put(d.name(), new Device(machine, d.name(), d.queueDepth(), d.readLatency(),
          d.writeLatency(), streams.stream(SyntheticSpec.deviceStream(d.name()))));
    }
    return devices;
  }

  /** Shortest latency-log interval: the HdrHistogram log format prints times to 1 ms. */
  public static final long MIN_LOG_INTERVAL_NS = Measurement.MIN_LOG_INTERVAL_NS;

  /** At most this many latency-log intervals per run. */
  public static final int MAX_LOG_INTERVALS = Measurement.MAX_LOG_INTERVALS;

  /** Simulates ramp then runtime; returns this run for chaining. */
  public SyntheticRun run() {
    Measurement.run(engine, spec.rampNs(), spec.runtimeNs(), () -> {
      machine.resetCounters();
      locks.resetStats();
    }, recorders.values());
    machine.accountUpToNow();
    return this;
  }

  public Engine engine() {
    return engine;
  }

  public Machine machine() {
    return machine;
  }

  public Locks locks() {
    return locks;
  }

  public OpRecorder recorder(String job) {
    OpRecorder r = recorders.get(job);
    if (r == null) {
      throw new IllegalArgumentException("no job named '" + job + "'");
    }
    return r;
  }

  public List<OpRecorder> recorders() {
    return new ArrayList<>(recorders.values());
  }

  /** Operations per second of simulated time over the measured runtime. */
  public double throughput(String job) {
    return recorder(job).operations() * 1e9 / spec.runtimeNs();
  }
}
