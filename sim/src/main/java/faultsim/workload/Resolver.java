package faultsim.workload;

import com.fasterxml.jackson.core.JsonLocation;
import faultsim.engine.Dist;
import faultsim.locks.LockKind;
import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.SpinlockKind;
import faultsim.fault.KernelSpec;
import faultsim.fault.KernelSpec.FaultJob;
import faultsim.fault.KernelSpec.FileSpec;
import faultsim.fault.KernelSpec.OpJob;
import faultsim.fault.KernelSpec.OpKind;
import faultsim.synthetic.Step;
import faultsim.synthetic.SyntheticSpec;
import faultsim.workload.WorkloadDoc.CostsDoc;
import faultsim.workload.WorkloadDoc.DeviceDoc;
import faultsim.workload.WorkloadDoc.GlobalDoc;
import faultsim.workload.WorkloadDoc.JobDoc;
import faultsim.workload.WorkloadDoc.LockDoc;
import faultsim.workload.WorkloadDoc.MachineDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks a bound workload and resolves it into a {@link Workload}: defaults applied, values
 * converted, every problem reported at the {@code file:line:column} of the key it concerns (or
 * as the {@code --set} that supplied it).
 */
final class Resolver {
  private final String fileName;
  private final Map<String, JsonLocation> locations;
  private final Map<String, Diagnostic> overridden;
  private final DesignEntries.Variants variants;

  private final KernelJobs kernelJobs = new KernelJobs(this);

  /**
   * {@code overridden} says where each overridden key's value was given (an option, or a
   * design entry's {@code set:}); {@code variants} resolves design entries' settings, null
   * when this workload is itself such a variant.
   */
  Resolver(String fileName, Map<String, JsonLocation> locations,
      Map<String, Diagnostic> overridden, DesignEntries.Variants variants) {
    this.fileName = fileName;
    this.locations = locations;
    this.overridden = overridden;
    this.variants = variants;
  }

  InputException error(String pointer, String message) {
    for (Map.Entry<String, Diagnostic> o : overridden.entrySet()) {
      if (pointer.equals(o.getKey()) || pointer.startsWith(o.getKey() + "/")) {
        Diagnostic at = o.getValue();
        return new InputException(new Diagnostic(at.file(), at.line(), at.column(), message));
      }
    }
    String p = pointer;
    while (!p.isEmpty()) {
      JsonLocation loc = locations.get(p);
      if (loc != null) {
        return new InputException(
            new Diagnostic(fileName, loc.getLineNr(), loc.getColumnNr(), message));
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
    return new InputException(new Diagnostic(fileName, 1, 1, message));
  }

  <T> T convert(String pointer, String value, Function<String, T> parser) throws InputException {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw error(pointer, key(pointer) + ": " + e.getMessage());
    }
  }

  static String key(String pointer) {
    return pointer.substring(1).replace('/', '.');
  }

  Workload resolve(WorkloadDoc doc, String file, String text) throws InputException {
    GlobalDoc g = doc.global() != null ? doc.global()
        : new GlobalDoc(null, null, null, null, null, null, null, null, null, null, null);
    long runtime = g.runtime() == null ? 0 : convert("/global/runtime", g.runtime(), Units::parseTime);
    if (g.runtime() != null && runtime <= 0) {
      throw error("/global/runtime", "global.runtime must be > 0");
    }
    long ramp = g.rampTime() == null ? 0 : convert("/global/ramp_time", g.rampTime(), Units::parseTime);
    long seed = g.randseed() == null ? 1 : g.randseed();
    int maxReplications = doc.maxReplications() == null ? Workload.DEFAULT_MAX_REPLICATIONS
        : doc.maxReplications();
    if (maxReplications < Workload.MIN_REPLICATIONS) {
      throw error("/max_replications", "max_replications must be >= "
          + Workload.MIN_REPLICATIONS + ", got " + maxReplications);
    }
    double precision = doc.precision() == null ? Workload.DEFAULT_PRECISION
        : convert("/precision", doc.precision(), Units::parsePercent);
    if (!(precision > 0 && precision < 1)) {
      throw error("/precision", "precision must be a percentage above 0% and below 100%, got "
          + doc.precision());
    }
    int replications;
    if (doc.replications() != null) {
      replications = doc.replications();
      precision = 0;
      if (replications < 1) {
        throw error("/replications", "replications must be >= 1, got " + replications);
      }
    } else {
      replications = Workload.MIN_REPLICATIONS;
    }
    MachineSpec machine = machine(doc.machine());
    Map<String, LockDoc> lockDocs = doc.locks() == null ? Map.of() : doc.locks();
    List<SyntheticSpec.LockSpec> locks = new ArrayList<>();
    Map<String, LockKind> lockKinds = new LinkedHashMap<>();
    for (Map.Entry<String, LockDoc> e : lockDocs.entrySet()) {
      String ptr = "/locks/" + e.getKey();
      LockDoc l = e.getValue();
      if (l == null || l.kind() == null) {
        throw error(ptr, "locks." + e.getKey() + ".kind is required: spinlock, mutex, rwsem,"
            + " folio or seqcount");
      }
      LockKind kind = convert(ptr + "/kind", l.kind(), LockKind::parse);
      locks.add(new SyntheticSpec.LockSpec(e.getKey(),
          l.lockClass() == null ? e.getKey() : l.lockClass(), kind));
      lockKinds.put(e.getKey(), kind);
    }
    Map<String, DeviceDoc> devDocs = doc.devices() == null ? Map.of() : doc.devices();
    List<SyntheticSpec.DeviceSpec> devices = new ArrayList<>();
    for (Map.Entry<String, DeviceDoc> e : devDocs.entrySet()) {
      String ptr = "/devices/" + e.getKey();
      DeviceDoc d = e.getValue() == null ? new DeviceDoc(null, null, null) : e.getValue();
      int qd = d.queueDepth() == null ? 32 : d.queueDepth();
      if (qd < 1) {
        throw error(ptr + "/queue_depth", "devices." + e.getKey() + ".queue_depth must be >= 1, got " + qd);
      }
      Dist read = d.readLatency() == null ? Dist.exponential(80_000)
          : convert(ptr + "/read_latency", d.readLatency(), Units::parseDist);
      Dist write = d.writeLatency() == null ? Dist.exponential(20_000)
          : convert(ptr + "/write_latency", d.writeLatency(), Units::parseDist);
      devices.add(new SyntheticSpec.DeviceSpec(e.getKey(), qd, read, write));
    }
    if (doc.jobs() == null || doc.jobs().isEmpty()) {
      throw error("/jobs", "jobs: at least one job is required");
    }
    kernelJobs.page = PageSize.of(this, doc.machine() == null ? null : doc.machine().pageSize());
    Map<String, FileSpec> files = kernelJobs.files(doc.files(), devDocs.keySet());
    var mappings = kernelJobs.vmaJobs.mappings(doc.mappings(), files);
    List<SyntheticSpec.JobSpec> jobs = new ArrayList<>();
    List<FaultJob> faultJobs = new ArrayList<>();
    List<OpJob> opJobs = new ArrayList<>();
    for (Map.Entry<String, JobDoc> e : doc.jobs().entrySet()) {
      JobDoc j = e.getValue() == null ? WorkloadLoader.EMPTY_JOB : e.getValue();
      String ptr = "/jobs/" + e.getKey();
      if (numjobs(e.getKey(), j, g) == 0) {
        continue;  // numjobs 0 leaves the job out
      }
      boolean synthetic = j.steps() != null
          || (g.steps() != null && j.rw() == null && OpKind.parseOrNull(j.op()) == null);
      if (synthetic) {
        jobs.add(job(e.getKey(), j, g, lockKinds, devDocs.keySet()));
      } else if (j.op() != null) {
        opJobs.add(kernelJobs.opJob(e.getKey(), j, g, files));
      } else if (j.rw() != null || g.rw() != null) {
        faultJobs.add(kernelJobs.faultJob(e.getKey(), j, g, files));
      } else {
        throw error(ptr, "jobs." + e.getKey() + ": say what the job does: rw (a fault job:"
            + " read, write, randread, randwrite, rw, randrw), op (truncate, punch_hole, mmap,"
            + " munmap) or steps (a synthetic step list)");
      }
    }
    if (jobs.isEmpty() && faultJobs.isEmpty() && opJobs.isEmpty()) {
      String at = "/global/numjobs";
      for (Map.Entry<String, JobDoc> e : doc.jobs().entrySet()) {
        if (e.getValue() != null && e.getValue().numjobs() != null) {
          at = "/jobs/" + e.getKey() + "/numjobs";
          break;
        }
      }
      throw error(at, "every job has numjobs 0: at least one job must run");
    }
    checkSize(machine.cores(), jobs, faultJobs, opJobs);
    runtime = FixedWorkRules.runtime(this, doc.global() != null, g, runtime, ramp, faultJobs);
    boolean usesDefaultDisk = false;
    for (FileSpec f : files.values()) {
      usesDefaultDisk |= f.device().equals(WorkloadLoader.DEFAULT_DEVICE) && !devDocs.containsKey(WorkloadLoader.DEFAULT_DEVICE);
    }
    if (usesDefaultDisk) {
      devices.add(new SyntheticSpec.DeviceSpec(WorkloadLoader.DEFAULT_DEVICE, 32, Dist.exponential(80_000),
          Dist.exponential(20_000)));
    }
    KernelSpec kernel = kernelJobs.kernel(doc.kernel(), files, mappings, faultJobs, opJobs,
        runtime);
    SyntheticSpec spec;
    try {
      spec = new SyntheticSpec(machine, locks, devices, jobs, ramp, runtime);
    } catch (IllegalArgumentException ex) {
      throw error("", ex.getMessage());
    }
    List<DesignEntry> designs = new DesignEntries(this, kernelJobs).resolve(doc.designs(),
        kernel.empty(), file, variants);
    String name = doc.name() != null ? doc.name() : WorkloadLoader.baseName(file);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw error("/name", "name '" + name + "' must start with a letter or digit and may"
          + " contain only letters, digits, '.', '_' and '-' (it names the results directory)");
    }
    return new Workload(name, file, text, WorkloadLoader.headerComment(text), doc, spec, kernel, designs,
        replications, seed, precision, maxReplications);
  }

  /**
   * Refuses a model that cannot fit in this JVM's heap ({@link ModelSize}), naming the key that
   * makes it large: machine.cores, or the numjobs of the job with the most tasks.
   */
  private void checkSize(int cores, List<SyntheticSpec.JobSpec> jobs, List<FaultJob> faultJobs,
      List<OpJob> opJobs) throws InputException {
    long tasks = 0;
    long most = -1;
    String biggest = null;
    List<Map.Entry<String, Integer>> all = new ArrayList<>();
    jobs.forEach(j -> all.add(Map.entry(j.name(), j.numjobs())));
    faultJobs.forEach(j -> all.add(Map.entry(j.name(), j.numjobs())));
    opJobs.forEach(j -> all.add(Map.entry(j.name(), j.numjobs())));
    for (Map.Entry<String, Integer> e : all) {
      tasks += e.getValue();
      if (e.getValue() > most) {
        most = e.getValue();
        biggest = e.getKey();
      }
    }
    if (!ModelSize.fits(cores, tasks)) {
      String ptr = (long) cores * ModelSize.CORE_BYTES >= tasks * ModelSize.TASK_BYTES
          ? "/machine/cores" : "/jobs/" + biggest + "/numjobs";
      throw error(ptr, ModelSize.tooLarge(cores, tasks));
    }
  }

  KernelSpec.Pacing pacing(String name, JobDoc j, GlobalDoc g) throws InputException {
    String ptr = "/jobs/" + name;
    Dist think = dist(j.thinktime(), ptr + "/thinktime", g.thinktime(), "/global/thinktime");
    Dist spin = dist(j.thinktimeSpin(), ptr + "/thinktime_spin", g.thinktimeSpin(),
        "/global/thinktime_spin");
    long loops = j.loops() != null ? j.loops() : g.loops() != null ? g.loops() : 0;
    if (loops < 0) {
      throw error(j.loops() != null ? ptr + "/loops" : "/global/loops", "loops must be >= 0");
    }
    Dist delay = dist(j.startDelay(), ptr + "/start_delay", g.startDelay(), "/global/start_delay");
    long period = 0;
    if (j.rate() != null) {
      period = convert(ptr + "/rate", j.rate(), Units::parseRatePeriod);
    }
    return new KernelSpec.Pacing(spin, think, period, loops,
        delay == null ? Dist.constant(0) : delay);
  }

  int numjobs(String name, JobDoc j, GlobalDoc g) throws InputException {
    int numjobs = j.numjobs() != null ? j.numjobs() : g.numjobs() != null ? g.numjobs() : 1;
    if (numjobs < 0) {
      throw error(j.numjobs() != null ? "/jobs/" + name + "/numjobs" : "/global/numjobs",
          "numjobs must be >= 0 (0 leaves the job out), got " + numjobs);
    }
    return numjobs;
  }

  MachineSpec machine(MachineDoc m) throws InputException {
    MachineDoc d = m == null ? new MachineDoc(null, null, null, null, null, null, null) : m;
    int cores = d.cores() == null ? 4 : d.cores();
    if (cores < 1) {
      throw error("/machine/cores", "machine.cores must be >= 1, got " + cores);
    }
    int sockets = d.sockets() == null ? 1 : d.sockets();
    if (sockets < 1 || cores % sockets != 0) {
      throw error("/machine/sockets", "machine.sockets must be >= 1 and divide machine.cores ("
          + cores + "), got " + sockets);
    }
    SpinlockKind kind = SpinlockKind.QUEUED;
    if (d.spinlock() != null) {
      kind = convert("/machine/spinlock", d.spinlock(), s -> {
        for (SpinlockKind k : SpinlockKind.values()) {
          if (k.name().toLowerCase(Locale.ROOT).equals(s)) {
            return k;
          }
        }
        throw new IllegalArgumentException("expected ticket or queued, got '" + s + "'"
            + Suggest.didYouMean(s, List.of("ticket", "queued")));
      });
    }
    CostProfile costs = costs(d.costs());
    return new MachineSpec(cores, sockets, kind, d.spinOnOwner() == null || d.spinOnOwner(), costs);
  }

  CostProfile costs(CostsDoc c) throws InputException {
    CostProfile p = CostProfile.DEFAULT;
    if (c == null) {
      return p;
    }
    String b = "/machine/costs/";
    long atomic = time(b + "atomic_local", c.atomicLocal(), p.atomicLocalNs());
    long same = time(b + "transfer_same_socket", c.transferSameSocket(), p.transferSameSocketNs());
    long cross = time(b + "transfer_cross_socket", c.transferCrossSocket(), p.transferCrossSocketNs());
    long wake = time(b + "wakeup", c.wakeup(), p.wakeupNs());
    long cs = time(b + "context_switch", c.contextSwitch(), p.contextSwitchNs());
    long slice = time(b + "time_slice", c.timeSlice(), p.timeSliceNs());
    if (slice <= 0) {
      throw error(b + "time_slice", "machine.costs.time_slice must be > 0");
    }
    long timeout = time(b + "rwsem_wait_timeout", c.rwsemWaitTimeout(), p.rwsemWaitTimeoutNs());
    int unfair = c.folioLockUnfairness() == null ? p.folioLockUnfairness() : c.folioLockUnfairness();
    if (unfair < 0) {
      throw error(b + "folio_lock_unfairness", "machine.costs.folio_lock_unfairness must be >= 0");
    }
    long memory = time(b + "memory_fetch", c.memoryFetch(), p.memoryFetchNs());
    return new CostProfile(atomic, same, cross, wake, cs, slice, timeout, unfair, memory);
  }

  long time(String ptr, String value, long dflt) throws InputException {
    return value == null ? dflt : convert(ptr, value, Units::parseTime);
  }

  SyntheticSpec.JobSpec job(String name, JobDoc j, GlobalDoc g, Map<String, LockKind> locks,
      java.util.Set<String> devices) throws InputException {
    String ptr = "/jobs/" + name;
    int numjobs = numjobs(name, j, g);
    KernelSpec.Pacing pacing = pacing(name, j, g);
    Dist think = pacing.thinktime();
    Dist spin = pacing.thinktimeSpin();
    long loops = pacing.loops();
    long delay = FixedWorkRules.constantStartDelay(this, name, j, pacing.startDelay());
    FixedWorkRules.faultKeysAbsent(this, name, j, "a synthetic job");
    List<Map<String, String>> stepDocs = j.steps() != null ? j.steps() : g.steps();
    String stepsPtr = j.steps() != null ? ptr + "/steps" : "/global/steps";
    if (stepDocs == null || stepDocs.isEmpty()) {
      throw error(ptr, "jobs." + name + ": steps are required (a list such as"
          + " [{spin_lock: L}, {cpu: exp(1us)}, {spin_unlock: L}])");
    }
    List<Step> steps = new ArrayList<>();
    Map<String, Integer> depth = new HashMap<>();
    for (int i = 0; i < stepDocs.size(); i++) {
      steps.add(step(stepsPtr + "/" + i, stepDocs.get(i), locks, devices, depth));
    }
    for (Map.Entry<String, Integer> e : depth.entrySet()) {
      if (e.getValue() != 0) {
        throw error(stepsPtr, "jobs." + name + ": lock " + e.getKey()
            + " is acquired but not released by the end of the operation");
      }
    }
    return new SyntheticSpec.JobSpec(name, numjobs, spin, think, loops, steps, delay,
        pacing.ratePeriodNs());
  }

  Dist dist(String own, String ownPtr, String global, String globalPtr) throws InputException {
    if (own != null) {
      return convert(ownPtr, own, Units::parseDist);
    }
    return global == null ? null : convert(globalPtr, global, Units::parseDist);
  }

  Step step(String ptr, Map<String, String> s, Map<String, LockKind> locks,
      java.util.Set<String> devices, Map<String, Integer> depth) throws InputException {
    if (s == null || s.size() != 1) {
      throw error(ptr, key(ptr) + ": a step is a one-key mapping such as {cpu: exp(1us)}");
    }
    Map.Entry<String, String> e = s.entrySet().iterator().next();
    String op = e.getKey();
    String arg = e.getValue();
    String argPtr = ptr + "/" + op;
    if (arg == null) {
      throw error(argPtr, key(argPtr) + ": missing value");
    }
    switch (op) {
      case "cpu":
        return new Step.Cpu(convert(argPtr, arg, Units::parseDist));
      case "sleep":
        return new Step.Sleep(convert(argPtr, arg, Units::parseDist));
      case "read":
      case "write":
        if (!devices.contains(arg)) {
          throw error(argPtr, key(argPtr) + ": no device named '" + arg + "'"
              + Suggest.didYouMean(arg, devices) + " (define it under devices:)");
        }
        return new Step.Io(arg, op.equals("write"));
      default:
        WorkloadLoader.LockOp lop = WorkloadLoader.LOCK_OPS.get(op);
        if (lop == null) {
          List<String> all = new ArrayList<>(List.of("cpu", "sleep", "read", "write"));
          all.addAll(WorkloadLoader.LOCK_OPS.keySet());
          throw error(ptr, key(ptr) + ": unknown step '" + op + "'" + Suggest.didYouMean(op, all)
              + " Expected one of: " + String.join(", ", all));
        }
        LockKind kind = locks.get(arg);
        if (kind == null) {
          throw error(argPtr, key(argPtr) + ": no lock named '" + arg + "'"
              + Suggest.didYouMean(arg, locks.keySet()) + " (define it under locks:)");
        }
        if (kind != lop.kind()) {
          throw error(argPtr, key(argPtr) + ": " + op + " needs a " + lop.kind().key()
              + ", but lock '" + arg + "' is a " + kind.key());
        }
        String side = arg + (lop.write() ? "-W" : "-R");
        int d = depth.getOrDefault(side, 0) + (lop.acquire() ? 1 : -1);
        if (d < 0) {
          throw error(ptr, key(ptr) + ": " + op + "(" + arg + ") releases a lock the operation"
              + " does not hold at that point");
        }
        depth.put(side, d);
        return lop.acquire() ? new Step.Acquire(arg, lop.write()) : new Step.Release(arg, lop.write());
    }
  }}
