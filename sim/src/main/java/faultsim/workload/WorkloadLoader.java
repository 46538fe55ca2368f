package faultsim.workload;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import faultsim.engine.Dist;
import faultsim.locks.LockKind;
import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.SpinlockKind;
import faultsim.fault.KernelSpec;
import faultsim.fault.KernelSpec.FaultJob;
import faultsim.fault.KernelSpec.FileSpec;
import faultsim.fault.KernelSpec.MappingKind;
import faultsim.fault.KernelSpec.OpJob;
import faultsim.fault.KernelSpec.OpKind;
import faultsim.fault.KernelSpec.Rw;
import faultsim.kernel.AccessPattern;
import faultsim.kernel.FsType;
import faultsim.kernel.Kernel;
import faultsim.synthetic.Step;
import faultsim.synthetic.SyntheticSpec;
import faultsim.workload.WorkloadDoc.CostsDoc;
import faultsim.workload.WorkloadDoc.DeviceDoc;
import faultsim.workload.WorkloadDoc.FileDoc;
import faultsim.workload.WorkloadDoc.KernelDoc;
import faultsim.workload.WorkloadDoc.GlobalDoc;
import faultsim.workload.WorkloadDoc.JobDoc;
import faultsim.workload.WorkloadDoc.LockDoc;
import faultsim.workload.WorkloadDoc.MachineDoc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a workload file, applies {@code --set} overrides, checks it and resolves it into a
 * {@link Workload}. Every problem is reported as {@code file:line:column: message} (the first one
 * found), never as a stack trace.
 */
public final class WorkloadLoader {
  /** Lock primitives a synthetic step may use, and the lock kind each applies to. */
  private static final Map<String, LockOp> LOCK_OPS = new LinkedHashMap<>();

  static {
    LOCK_OPS.put("spin_lock", new LockOp(LockKind.SPINLOCK, true, true));
    LOCK_OPS.put("spin_unlock", new LockOp(LockKind.SPINLOCK, true, false));
    LOCK_OPS.put("mutex_lock", new LockOp(LockKind.MUTEX, true, true));
    LOCK_OPS.put("mutex_unlock", new LockOp(LockKind.MUTEX, true, false));
    LOCK_OPS.put("down_read", new LockOp(LockKind.RWSEM, false, true));
    LOCK_OPS.put("up_read", new LockOp(LockKind.RWSEM, false, false));
    LOCK_OPS.put("down_write", new LockOp(LockKind.RWSEM, true, true));
    LOCK_OPS.put("up_write", new LockOp(LockKind.RWSEM, true, false));
    LOCK_OPS.put("folio_lock", new LockOp(LockKind.FOLIO, true, true));
    LOCK_OPS.put("folio_unlock", new LockOp(LockKind.FOLIO, true, false));
    LOCK_OPS.put("write_seqcount_begin", new LockOp(LockKind.SEQCOUNT, true, true));
    LOCK_OPS.put("write_seqcount_end", new LockOp(LockKind.SEQCOUNT, true, false));
  }

  private record LockOp(LockKind kind, boolean write, boolean acquire) {}

  /** The device a file reads from when it names none. */
  static final String DEFAULT_DEVICE = "disk";

  private static final JobDoc EMPTY_JOB = new JobDoc(null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null);

  private final YAMLMapper mapper;

  public WorkloadLoader() {
    mapper = YAMLMapper.builder(new YAMLFactory())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /** Loads {@code file} with no overrides. */
  public Workload load(Path file) throws InputException {
    return load(file, List.of());
  }

  /**
   * Loads {@code file}, then applies {@code sets} ({@code key.path=value}, e.g.
   * {@code machine.cores=8} or {@code jobs.worker.numjobs=4}).
   */
  public Workload load(Path file, List<String> sets) throws InputException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(new Diagnostic(name, 0, 0, "cannot read the workload file ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
    }
    return parse(name, text, sets);
  }

  /** Parses workload text; {@code fileName} is used in messages. */
  public Workload parse(String fileName, String text, List<String> sets) throws InputException {
    Map<String, JsonLocation> locations = locate(fileName, text);
    WorkloadDoc doc = bind(fileName, text, locations);
    Map<String, String> overridden = new HashMap<>();
    if (!sets.isEmpty()) {
      doc = applySets(fileName, text, sets, overridden);
    }
    Resolver r = new Resolver(fileName, locations, overridden);
    return r.resolve(doc, fileName, text);
  }

  // ---- reading ------------------------------------------------------------------------------

  private Map<String, JsonLocation> locate(String fileName, String text) throws InputException {
    Map<String, JsonLocation> out = new HashMap<>();
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        var ctx = p.getParsingContext();
        JsonPointer ptr = null;
        if (t == JsonToken.FIELD_NAME || (t.isScalarValue() && ctx.inArray())) {
          ptr = ctx.pathAsPointer();
        } else if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
            && ctx.getParent() != null && ctx.getParent().inArray()) {
          ptr = ctx.getParent().pathAsPointer();
        }
        if (ptr != null) {
          out.putIfAbsent(ptr.toString(), p.currentTokenLocation());
        }
      }
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(fileName, e));
    } catch (IOException e) {
      throw new InputException(new Diagnostic(fileName, 0, 0, e.getMessage()));
    }
    return out;
  }

  private WorkloadDoc bind(String fileName, String text, Map<String, JsonLocation> locations)
      throws InputException {
    if (text.strip().isEmpty() || headerComment(text).length() > 0
        && text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
      throw new InputException(new Diagnostic(fileName, 1, 1,
          "the workload file is empty; expected at least global.runtime and jobs"));
    }
    try {
      WorkloadDoc doc = mapper.readValue(text, WorkloadDoc.class);
      if (doc == null) {
        throw new InputException(new Diagnostic(fileName, 1, 1,
            "the workload file is empty; expected at least global.runtime and jobs"));
      }
      return doc;
    } catch (JsonMappingException e) {
      throw new InputException(mappingError(fileName, e, locations));
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(fileName, e));
    }
  }

  private WorkloadDoc applySets(String fileName, String text, List<String> sets,
      Map<String, String> overridden) throws InputException {
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(fileName, e));
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new InputException(new Diagnostic(fileName, 1, 1, "expected a mapping at the top"));
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new InputException(new Diagnostic("--set " + set, 0, 0,
            "expected key.path=value, e.g. machine.cores=8"));
      }
      String key = set.substring(0, eq).trim();
      String value = set.substring(eq + 1).trim();
      String[] parts = key.split("\\.");
      ObjectNode node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode child = node.get(parts[i]);
        if (child == null || child.isNull()) {
          child = node.putObject(parts[i]);
        }
        if (!(child instanceof ObjectNode obj)) {
          throw new InputException(new Diagnostic("--set " + set, 0, 0,
              "'" + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
                  + "' is not a section, so it cannot have keys"));
        }
        node = obj;
      }
      JsonNode parsed;
      try {
        parsed = mapper.readTree(value);
      } catch (JsonProcessingException e) {
        parsed = JsonNodeFactory.instance.textNode(value);
      }
      node.set(parts[parts.length - 1], parsed == null ? JsonNodeFactory.instance.nullNode() : parsed);
      overridden.put("/" + String.join("/", parts), set);
    }
    try {
      return mapper.treeToValue(root, WorkloadDoc.class);
    } catch (JsonProcessingException e) {
      Diagnostic d = e instanceof JsonMappingException m
          ? mappingError(fileName, m, Map.of()) : syntaxError(fileName, e);
      throw new InputException(new Diagnostic("--set " + String.join(" --set ", sets), 0, 0,
          d.message()));
    }
  }

  private static Diagnostic syntaxError(String fileName, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String msg = e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    if (nl > 0) {
      msg = msg.substring(0, nl);
    }
    return new Diagnostic(fileName, loc == null ? 1 : loc.getLineNr(),
        loc == null ? 1 : loc.getColumnNr(), "malformed YAML: " + msg);
  }

  private static Diagnostic mappingError(String fileName, JsonMappingException e,
      Map<String, JsonLocation> locations) {
    JsonLocation loc = locations.getOrDefault(pointer(e.getPath()), e.getLocation());
    String path = dotted(e.getPath());
    String msg;
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
          .collect(Collectors.toList());
      String where = path.contains(".") ? " in " + path.substring(0, path.lastIndexOf('.')) : "";
      msg = "unknown key '" + u.getPropertyName() + "'" + where
          + Suggest.didYouMean(u.getPropertyName(), known) + " Expected one of: "
          + String.join(", ", known);
    } else if (e instanceof InvalidFormatException f) {
      msg = path + ": expected " + describe(f.getTargetType()) + ", got '" + f.getValue() + "'";
    } else if (e instanceof MismatchedInputException m) {
      msg = path + ": expected " + describe(m.getTargetType());
    } else {
      msg = path + ": " + e.getOriginalMessage();
    }
    return new Diagnostic(fileName, loc == null ? 1 : loc.getLineNr(),
        loc == null ? 1 : loc.getColumnNr(), msg);
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a different value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a single value (text, a time or a size)";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping of keys to values";
    }
    return "a " + type.getSimpleName();
  }

  private static String pointer(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        sb.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else if (r.getIndex() >= 0) {
        sb.append('/').append(r.getIndex());
      }
    }
    return sb.toString();
  }

  private static String dotted(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top)" : sb.toString();
  }

  // ---- resolving ----------------------------------------------------------------------------

  /** Applies defaults and checks values, naming the key's location in every error. */
  private static final class Resolver {
    private final String fileName;
    private final Map<String, JsonLocation> locations;
    private final Map<String, String> overridden;

    Resolver(String fileName, Map<String, JsonLocation> locations,
        Map<String, String> overridden) {
      this.fileName = fileName;
      this.locations = locations;
      this.overridden = overridden;
    }

    InputException error(String pointer, String message) {
      for (Map.Entry<String, String> o : overridden.entrySet()) {
        if (pointer.equals(o.getKey()) || pointer.startsWith(o.getKey() + "/")) {
          return new InputException(new Diagnostic("--set " + o.getValue(), 0, 0, message));
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
      GlobalDoc g = doc.global();
      if (g == null || g.runtime() == null) {
        throw error(g == null ? "" : "/global",
            "global.runtime is required: how much simulated time to measure, e.g. runtime: 100ms");
      }
      long runtime = convert("/global/runtime", g.runtime(), Units::parseTime);
      if (runtime <= 0) {
        throw error("/global/runtime", "global.runtime must be > 0");
      }
      long ramp = g.rampTime() == null ? 0 : convert("/global/ramp_time", g.rampTime(), Units::parseTime);
      long seed = g.randseed() == null ? 1 : g.randseed();
      int replications = doc.replications() == null ? 3 : doc.replications();
      if (replications < 1) {
        throw error("/replications", "replications must be >= 1, got " + replications);
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
      Map<String, FileSpec> files = files(doc.files(), devDocs.keySet());
      List<SyntheticSpec.JobSpec> jobs = new ArrayList<>();
      List<FaultJob> faultJobs = new ArrayList<>();
      List<OpJob> opJobs = new ArrayList<>();
      for (Map.Entry<String, JobDoc> e : doc.jobs().entrySet()) {
        JobDoc j = e.getValue() == null ? EMPTY_JOB : e.getValue();
        String ptr = "/jobs/" + e.getKey();
        boolean synthetic = j.steps() != null
            || (g.steps() != null && j.rw() == null && OpKind.parseOrNull(j.op()) == null);
        if (synthetic) {
          jobs.add(job(e.getKey(), j, g, lockKinds, devDocs.keySet()));
        } else if (j.op() != null) {
          opJobs.add(opJob(e.getKey(), j, g, files));
        } else if (j.rw() != null) {
          faultJobs.add(faultJob(e.getKey(), j, g, files));
        } else {
          throw error(ptr, "jobs." + e.getKey() + ": say what the job does: rw (a fault job:"
              + " read, write, randread, randwrite, rw, randrw), op (truncate, punch_hole, mmap,"
              + " munmap) or steps (a synthetic step list)");
        }
      }
      boolean usesDefaultDisk = false;
      for (FileSpec f : files.values()) {
        usesDefaultDisk |= f.device().equals(DEFAULT_DEVICE) && !devDocs.containsKey(DEFAULT_DEVICE);
      }
      if (usesDefaultDisk) {
        devices.add(new SyntheticSpec.DeviceSpec(DEFAULT_DEVICE, 32, Dist.exponential(80_000),
            Dist.exponential(20_000)));
      }
      KernelSpec kernel = kernel(doc.kernel(), files, faultJobs, opJobs);
      SyntheticSpec spec;
      try {
        spec = new SyntheticSpec(machine, locks, devices, jobs, ramp, runtime);
      } catch (IllegalArgumentException ex) {
        throw error("", ex.getMessage());
      }
      List<String> designs;
      if (kernel.empty()) {
        designs = doc.designs() == null || doc.designs().isEmpty()
            ? List.of(Workload.SYNTHETIC) : List.copyOf(doc.designs());
        for (int i = 0; i < designs.size(); i++) {
          if (!designs.get(i).equals(Workload.SYNTHETIC)) {
            throw error("/designs/" + i, "design '" + designs.get(i) + "' not found: this"
                + " workload has only synthetic jobs, which run under the design 'synthetic'");
          }
        }
      } else {
        designs = doc.designs() == null || doc.designs().isEmpty()
            ? List.of(Workload.DEFAULT_DESIGN) : List.copyOf(doc.designs());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < designs.size(); i++) {
          if (designs.get(i).equals(Workload.SYNTHETIC)) {
            throw error("/designs/" + i, "design 'synthetic' runs only synthetic jobs; this"
                + " workload has fault or operation jobs: name kernel designs (faultsim designs"
                + " lists them)");
          }
          if (!seen.add(designs.get(i))) {
            throw error("/designs/" + i, "design '" + designs.get(i) + "' is listed twice");
          }
          checkDesignExists("/designs/" + i, designs.get(i), file);
        }
      }
      String name = doc.name() != null ? doc.name() : baseName(file);
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw error("/name", "name '" + name + "' may contain only letters, digits, '.', '_'"
            + " and '-' (it names the results directory)");
      }
      return new Workload(name, file, text, headerComment(text), doc, spec, kernel, designs,
          replications, seed);
    }

    Map<String, FileSpec> files(Map<String, FileDoc> docs, java.util.Set<String> devices)
        throws InputException {
      Map<String, FileSpec> out = new LinkedHashMap<>();
      if (docs == null) {
        return out;
      }
      for (Map.Entry<String, FileDoc> e : docs.entrySet()) {
        String ptr = "/files/" + e.getKey();
        FileDoc f = e.getValue();
        if (f == null || f.size() == null) {
          throw error(ptr, "files." + e.getKey() + ".size is required, e.g. size: 1G");
        }
        long size = convert(ptr + "/size", f.size(), Units::parseSize);
        if (size <= 0 || size % Kernel.PAGE_SIZE != 0) {
          throw error(ptr + "/size", "files." + e.getKey() + ".size must be a positive multiple"
              + " of 4k, got " + f.size());
        }
        FsType fs = f.fs() == null ? FsType.EXT4 : convert(ptr + "/fs", f.fs(), v -> {
          try {
            return FsType.parse(v);
          } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ex.getMessage() + Suggest.didYouMean(v,
                List.of("ext4", "xfs", "tmpfs", "dax")));
          }
        });
        double cached = f.cached() == null ? 1.0 : f.cached();
        if (!(cached >= 0 && cached <= 1)) {
          throw error(ptr + "/cached", "files." + e.getKey() + ".cached must be between 0 and 1,"
              + " got " + f.cached());
        }
        String device = f.device() == null ? DEFAULT_DEVICE : f.device();
        if (f.device() != null && !devices.contains(device)) {
          throw error(ptr + "/device", "files." + e.getKey() + ".device: no device named '"
              + device + "'" + Suggest.didYouMean(device, devices) + " (define it under devices:)");
        }
        out.put(e.getKey(), new FileSpec(e.getKey(), fs, size, cached, device));
      }
      return out;
    }

    KernelSpec kernel(KernelDoc k, Map<String, FileSpec> files, List<FaultJob> faultJobs,
        List<OpJob> opJobs) throws InputException {
      KernelDoc d = k == null ? new KernelDoc(null, null, null) : k;
      long fab = KernelSpec.DEFAULT_FAULT_AROUND_BYTES;
      if (d.faultAroundBytes() != null) {
        fab = convert("/kernel/fault_around_bytes", d.faultAroundBytes(), Units::parseSize);
        if (fab < Kernel.PAGE_SIZE || fab > Kernel.PMD_SIZE || Long.bitCount(fab) != 1) {
          throw error("/kernel/fault_around_bytes", "kernel.fault_around_bytes must be a power"
              + " of two from 4k to 2M, got " + d.faultAroundBytes());
        }
      }
      long maxRetries = d.maxRetries() == null ? KernelSpec.DEFAULT_MAX_RETRIES : d.maxRetries();
      if (maxRetries < 1) {
        throw error("/kernel/max_retries", "kernel.max_retries must be >= 1, got " + maxRetries);
      }
      long noProgress = d.noProgressTime() == null ? KernelSpec.DEFAULT_NO_PROGRESS_NS
          : convert("/kernel/no_progress_time", d.noProgressTime(), Units::parseTime);
      if (noProgress <= 0) {
        throw error("/kernel/no_progress_time", "kernel.no_progress_time must be > 0");
      }
      return new KernelSpec(fab, maxRetries, noProgress, List.copyOf(files.values()), faultJobs,
          opJobs);
    }

    /** The value of a job key, falling back to global's; with the pointer it came from. */
    private record Inherited<T>(T value, String pointer) {}

    private static <T> Inherited<T> inherit(T own, String ownPtr, T global, String globalPtr) {
      return own != null ? new Inherited<>(own, ownPtr) : new Inherited<>(global, globalPtr);
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
      Inherited<String> delay = inherit(j.startDelay(), ptr + "/start_delay", g.startDelay(),
          "/global/start_delay");
      long delayNs = delay.value() == null ? 0 : convert(delay.pointer(), delay.value(),
          Units::parseTime);
      long period = 0;
      if (j.rate() != null) {
        period = convert(ptr + "/rate", j.rate(), Units::parseRatePeriod);
      }
      return new KernelSpec.Pacing(spin, think, period, loops, delayNs);
    }

    int numjobs(String name, JobDoc j, GlobalDoc g) throws InputException {
      int numjobs = j.numjobs() != null ? j.numjobs() : g.numjobs() != null ? g.numjobs() : 1;
      if (numjobs < 1) {
        throw error(j.numjobs() != null ? "/jobs/" + name + "/numjobs" : "/global/numjobs",
            "numjobs must be >= 1, got " + numjobs);
      }
      return numjobs;
    }

    FileSpec fileOf(String name, JobDoc j, Map<String, FileSpec> files) throws InputException {
      String ptr = "/jobs/" + name;
      if (j.file() == null) {
        throw error(ptr, "jobs." + name + ".file is required: the name of a file under files:"
            + (files.isEmpty() ? " (there are none yet)" : " (" + String.join(", ",
            files.keySet()) + ")"));
      }
      FileSpec f = files.get(j.file());
      if (f == null) {
        throw error(ptr + "/file", "jobs." + name + ".file: no file named '" + j.file() + "'"
            + Suggest.didYouMean(j.file(), files.keySet()) + " (define it under files:)");
      }
      return f;
    }

    long bytes(String ptr, String value, long dflt) throws InputException {
      if (value == null) {
        return dflt;
      }
      long b = convert(ptr, value, Units::parseSize);
      if (b < 0 || b % Kernel.PAGE_SIZE != 0) {
        throw error(ptr, key(ptr) + " must be a non-negative multiple of 4k, got " + value);
      }
      return b;
    }

    FaultJob faultJob(String name, JobDoc j, GlobalDoc g, Map<String, FileSpec> files)
        throws InputException {
      String ptr = "/jobs/" + name;
      Rw rw = convert(ptr + "/rw", j.rw(), v -> {
        try {
          return Rw.parse(v);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(ex.getMessage() + Suggest.didYouMean(v,
              List.of("read", "write", "randread", "randwrite", "rw", "randrw")));
        }
      });
      int mix = j.rwmixread() == null ? 50 : j.rwmixread();
      if (mix < 0 || mix > 100) {
        throw error(ptr + "/rwmixread", "jobs." + name + ".rwmixread must be 0..100, got " + mix);
      }
      MappingKind mapping = j.mapping() == null ? MappingKind.SHARED
          : convert(ptr + "/mapping", j.mapping(), MappingKind::parse);
      String file = null;
      long fileSize;
      if (mapping == MappingKind.ANON) {
        if (j.file() != null) {
          throw error(ptr + "/file", "jobs." + name + ": an anon mapping has no file");
        }
        if (j.size() == null) {
          throw error(ptr, "jobs." + name + ".size is required for an anon mapping");
        }
        fileSize = Long.MAX_VALUE;
      } else {
        FileSpec f = fileOf(name, j, files);
        file = f.name();
        fileSize = f.sizeBytes();
      }
      long offset = bytes(ptr + "/offset", j.offset(), 0);
      long size = bytes(ptr + "/size", j.size(), fileSize - offset);
      if (size <= 0) {
        throw error(ptr + "/size", "jobs." + name + ": the region is empty");
      }
      if (mapping != MappingKind.ANON && offset + size > fileSize) {
        throw error(j.size() != null ? ptr + "/size" : ptr + "/offset", "jobs." + name
            + ": the region [" + offset + ", " + (offset + size) + ") goes past the end of file '"
            + file + "' (" + fileSize + " bytes)");
      }
      String pattern = j.randomDistribution() != null ? j.randomDistribution()
          : rw.random() ? "uniform" : "sequential";
      String patternPtr = ptr + "/random_distribution";
      convert(patternPtr, pattern, v -> AccessPattern.parse(v, size / Kernel.PAGE_SIZE));
      return new FaultJob(name, numjobs(name, j, g), process(j), rw, mix, mapping, file, offset,
          size, pattern, pacing(name, j, g));
    }

    OpJob opJob(String name, JobDoc j, GlobalDoc g, Map<String, FileSpec> files)
        throws InputException {
      String ptr = "/jobs/" + name;
      OpKind op = OpKind.parseOrNull(j.op());
      if (op == null) {
        throw error(ptr + "/op", "jobs." + name + ".op: unknown operation '" + j.op() + "'"
            + Suggest.didYouMean(j.op(), List.of("truncate", "punch_hole", "mmap", "munmap"))
            + " Expected truncate, punch_hole, mmap or munmap (or give steps for a synthetic"
            + " job)");
      }
      if (j.rw() != null) {
        throw error(ptr + "/rw", "jobs." + name + ": a job has either op or rw, not both");
      }
      FileSpec f = fileOf(name, j, files);
      long offset = bytes(ptr + "/offset", j.offset(), 0);
      long size = bytes(ptr + "/size", j.size(), op == OpKind.TRUNCATE ? 0
          : f.sizeBytes() - offset);
      String where = j.size() != null ? ptr + "/size" : ptr;
      switch (op) {
        case TRUNCATE -> {
          if (size >= f.sizeBytes()) {
            throw error(where, "jobs." + name + ": truncate to " + size + " bytes does not"
                + " shrink file '" + f.name() + "' (" + f.sizeBytes() + " bytes)");
          }
        }
        case PUNCH_HOLE, MMAP, MUNMAP -> {
          if (size <= 0) {
            throw error(where, "jobs." + name + ": " + op.key() + " of an empty range");
          }
          if (offset + size > f.sizeBytes()) {
            throw error(where, "jobs." + name + ": " + op.key() + " of [" + offset + ", "
                + (offset + size) + ") goes past the end of file '" + f.name() + "' ("
                + f.sizeBytes() + " bytes)");
          }
        }
        default -> throw new IllegalStateException(op.toString());
      }
      return new OpJob(name, numjobs(name, j, g), process(j), op, f.name(), offset, size,
          pacing(name, j, g));
    }

    static String process(JobDoc j) {
      return j.process() == null ? "main" : j.process();
    }

    /**
     * A design entry names a built-in design or an existing file (relative to the workload's
     * directory); its text is checked when it is compiled, with errors in the design file.
     */
    void checkDesignExists(String ptr, String entry, String workloadFile) throws InputException {
      if (faultsim.lang.DesignLibrary.isPath(entry)) {
        Path base = Path.of(workloadFile).toAbsolutePath().getParent();
        Path p = base == null ? Path.of(entry) : base.resolve(entry);
        if (!Files.isRegularFile(p)) {
          throw error(ptr, "design file '" + entry + "' not found (looked for " + p + ")");
        }
        return;
      }
      List<String> names = new ArrayList<>();
      for (faultsim.lang.BuiltinDesign b : faultsim.lang.DesignLibrary.builtins()) {
        names.add(b.name());
      }
      if (!names.contains(entry)) {
        String suggestion = Suggest.didYouMean(entry, names);
        throw error(ptr, "unknown design '" + entry + "'" + (suggestion.isEmpty() ? "." : suggestion)
            + " Built-in designs: " + String.join(", ", names)
            + "; a design file's path ends in .design");
      }
    }

    MachineSpec machine(MachineDoc m) throws InputException {
      MachineDoc d = m == null ? new MachineDoc(null, null, null, null, null) : m;
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
      return new CostProfile(atomic, same, cross, wake, cs, slice, timeout, unfair);
    }

    long time(String ptr, String value, long dflt) throws InputException {
      return value == null ? dflt : convert(ptr, value, Units::parseTime);
    }

    SyntheticSpec.JobSpec job(String name, JobDoc j, GlobalDoc g, Map<String, LockKind> locks,
        java.util.Set<String> devices) throws InputException {
      String ptr = "/jobs/" + name;
      int numjobs = numjobs(name, j, g);
      KernelSpec.Pacing pacing = pacing(name, j, g);
      if (pacing.ratePeriodNs() > 0) {
        throw error(ptr + "/rate", "jobs." + name + ".rate: a synthetic job is a closed loop;"
            + " pace it with thinktime");
      }
      Dist think = pacing.thinktime();
      Dist spin = pacing.thinktimeSpin();
      long loops = pacing.loops();
      long delay = pacing.startDelayNs();
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
      return new SyntheticSpec.JobSpec(name, numjobs, spin, think, loops, steps, delay);
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
          LockOp lop = LOCK_OPS.get(op);
          if (lop == null) {
            List<String> all = new ArrayList<>(List.of("cpu", "sleep", "read", "write"));
            all.addAll(LOCK_OPS.keySet());
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
    }
  }

  static String baseName(String file) {
    String n = Path.of(file).getFileName().toString();
    return n.endsWith(".yaml") ? n.substring(0, n.length() - 5)
        : n.endsWith(".yml") ? n.substring(0, n.length() - 4) : n;
  }

  /** The leading block of {@code #} comment lines, without the markers. */
  static String headerComment(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (!t.startsWith("#")) {
        break;
      }
      sb.append(t.substring(1).strip()).append('\n');
    }
    return sb.toString().strip();
  }
}
