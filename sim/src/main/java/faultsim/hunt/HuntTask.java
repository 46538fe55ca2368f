package faultsim.hunt;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.run.Experiment;
import faultsim.run.PoolTask;
import faultsim.run.ReplicationResult;
import faultsim.run.ResultCodec;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One run of a hunt as it travels to whoever runs it: the workload text with the hunt's
 * overrides, the design's label, the replication and the delays ({@link Delays}), all plain
 * values, so a schedule runs the same on this machine's threads and on a cluster's workers. The
 * answer ({@link Outcome}) holds the run's result and what its perturbation recorded: the points
 * passed, the delays given and, for the pairs strategy's recorded run, the delays of the pair
 * schedules that follow it, drawn where the recording is.
 */
public final class HuntTask implements PoolTask {
  /** The delays a run gets. */
  public sealed interface Delays permits Count, AtTaskPoints, RandomDelays, Replay, Observe {}

  /** None; each task's points are counted (the unperturbed schedule 0 of pct and random). */
  public record Count() implements Delays {}

  /** {@code delays.get(task).get(ordinal)} ns at those points of those tasks (pct). */
  public record AtTaskPoints(Map<String, Map<Long, Long>> delays) implements Delays {
    public AtTaskPoints {
      Map<String, Map<Long, Long>> copy = new TreeMap<>();
      delays.forEach((t, m) -> copy.put(t, Collections.unmodifiableMap(new TreeMap<>(m))));
      delays = Collections.unmodifiableMap(copy);
    }
  }

  /**
   * Each point delayed with probability {@code p} by a delay drawn log-uniformly from
   * {@code [lo, hi]}, all drawn from a generator seeded with {@code seed} (random).
   */
  public record RandomDelays(long seed, double p, long lo, long hi) implements Delays {}

  /** Exactly these delays ({@link Perturbations#replay}): pair schedules and shrinking. */
  public record Replay(List<Point> points) implements Delays {
    public Replay {
      points = List.copyOf(points);
    }
  }

  /**
   * None; every point is recorded ({@link Pairs.Observed}), and the delays of the pair
   * schedules of the round this run starts are drawn from the recording: the {@code k}-th (from
   * 0) is schedule {@code roundStart + 1 + k}, drawn from the hunt's {@code seed}, the design's
   * label and that number, up to {@code most} of them ({@link Pairs.Plan#schedules}).
   */
  public record Observe(long seed, int roundStart, int most) implements Delays {}

  /**
   * What a run gave.
   *
   * @param run the run's result
   * @param points interaction points the run passed
   * @param perTask each task's points, by task name ({@link Count} only; else empty)
   * @param applied the delays given, in simulation order
   * @param draws the delays of the round's pair schedules, one list (of one point, or empty
   *     when the recording has no pair to force) per schedule ({@link Observe} only)
   */
  public record Outcome(ReplicationResult run, long points, Map<String, Long> perTask,
      List<Point> applied, List<List<Point>> draws) {
    public Outcome {
      perTask = Collections.unmodifiableMap(new TreeMap<>(perTask));
      applied = List.copyOf(applied);
      draws = draws.stream().map(List::copyOf).toList();
    }

    /** As bytes: the {@link ResultCodec} encoding of the run, then the rest. */
    public byte[] encode() {
      return bytes(out -> {
        byte[] r = ResultCodec.encode(run);
        out.writeInt(r.length);
        out.write(r);
        out.writeLong(points);
        out.writeInt(perTask.size());
        for (Map.Entry<String, Long> e : perTask.entrySet()) {
          ResultCodec.string(out, e.getKey());
          out.writeLong(e.getValue());
        }
        writePoints(out, applied);
        out.writeInt(draws.size());
        for (List<Point> d : draws) {
          writePoints(out, d);
        }
      });
    }

    /** The outcome {@code bytes} encode; IllegalArgumentException if they are malformed. */
    public static Outcome decode(byte[] bytes) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        byte[] r = new byte[ResultCodec.count(in)];
        in.readFully(r);
        ReplicationResult run = ResultCodec.decode(r);
        long points = in.readLong();
        Map<String, Long> perTask = new TreeMap<>();
        for (int i = ResultCodec.count(in); i > 0; i--) {
          String t = ResultCodec.string(in);
          perTask.put(t, in.readLong());
        }
        List<Point> applied = readPoints(in);
        List<List<Point>> draws = new ArrayList<>();
        for (int i = ResultCodec.count(in); i > 0; i--) {
          draws.add(readPoints(in));
        }
        if (in.read() != -1) {
          throw new IllegalArgumentException("bytes left over after the encoded outcome");
        }
        return new Outcome(run, points, perTask, applied, draws);
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated outcome: " + e, e);
      }
    }
  }

  /**
   * Workloads and designs this host resolved, by hunt and design label: a worker runs many
   * schedules of one entry and parses and compiles it once per hunt. A new hunt (a new id)
   * resolves afresh, so an edited design file is read again.
   */
  private static final Map<List<String>, Resolved> RESOLVED = faultsim.util.RecentMap.of(8);

  private final String hunt;
  private final String fileName;
  private final String workloadText;
  private final List<String> sets;
  private final String design;
  private final int replication;
  private final Delays delays;
  /**
   * Set where the task was made, so local runs skip parsing and hand their outcome over in
   * memory; never sent anywhere.
   */
  private final Resolved resolved;
  /** The outcome of a local run, for {@link #outcome}. */
  private volatile Outcome local;

  /** The entry's workload and design, and the workload's base streams. */
  record Resolved(Workload workload, CompiledDesign design, RandomStreams streams) {}

  /**
   * A task to be run elsewhere: the workload is parsed from {@code workloadText} with
   * {@code sets} when it runs, and the entry labelled {@code design} is looked up in it (once
   * per host for all the tasks of hunt {@code hunt}, an id that names no other hunt).
   */
  public HuntTask(String hunt, String fileName, String workloadText, List<String> sets,
      String design, int replication, Delays delays) {
    this(hunt, fileName, workloadText, sets, design, replication, delays, null);
  }

  HuntTask(String hunt, String fileName, String workloadText, List<String> sets, String design,
      int replication, Delays delays, Resolved resolved) {
    if (replication < 0) {
      throw new IllegalArgumentException("replication must be >= 0, was " + replication);
    }
    this.hunt = hunt;
    this.fileName = fileName;
    this.workloadText = workloadText;
    this.sets = List.copyOf(sets);
    this.design = design;
    this.replication = replication;
    this.delays = delays;
    this.resolved = resolved;
  }

  public String design() {
    return design;
  }

  public int replication() {
    return replication;
  }

  public Delays delays() {
    return delays;
  }

  /** Runs the replication with its delays. */
  public Outcome run() throws InputException {
    Resolved r = resolved != null ? resolved : resolve();
    Perturbations.Recording p = recording();
    ReplicationResult result = Hunt.run(r.workload(), r.design(), p, replication,
        r.streams().forReplication(replication));
    Map<String, Long> perTask = p instanceof Perturbations.Counting c ? c.perTask() : Map.of();
    List<List<Point>> draws = new ArrayList<>();
    if (p instanceof Pairs.Observed o && delays instanceof Observe ob) {
      Pairs.Plan plan = o.plan();
      long cap = Hunt.longestOperation(result);
      int first = Hunt.firstGroup(ob.seed(), design, ob.roundStart());
      int n = plan.schedules(ob.most());
      for (int k = 0; k < n; k++) {
        int s = ob.roundStart() + 1 + k;
        Point d = plan.draw(new SplittableRandom(Hunt.mix(ob.seed(), design, s)), first, k, cap);
        draws.add(d == null ? List.of() : List.of(d));
      }
    }
    return new Outcome(result, p.points(), perTask, p.applied(), draws);
  }

  /**
   * Runs the task: a task made here ({@link Resolved}) keeps its outcome for {@link #outcome}
   * and answers no bytes; one rebuilt from its bytes answers the encoded outcome.
   */
  @Override
  public byte[] call() throws InputException {
    Outcome o = run();
    if (resolved != null) {
      local = o;
      return new byte[0];
    }
    return o.encode();
  }

  /** The outcome {@code bytes} (what {@link #call} answered, here or elsewhere) stand for. */
  public Outcome outcome(byte[] bytes) {
    if (bytes.length == 0) {
      Outcome o = local;
      if (o == null) {
        throw new IllegalStateException(this + " answered nothing and did not run here");
      }
      return o;
    }
    return Outcome.decode(bytes);
  }

  private Resolved resolve() throws InputException {
    List<String> key = List.of(hunt, design);
    Resolved r = RESOLVED.get(key);
    if (r == null) {
      r = parse();
      RESOLVED.putIfAbsent(key, r);
    }
    return r;
  }

  private Resolved parse() throws InputException {
    Workload w = new WorkloadLoader().parse(fileName, workloadText, sets);
    Designs.Labelled d = Designs.find(w, design);
    if (d == null || d.design() == null) {
      throw new IllegalArgumentException("workload " + fileName + " has no design labelled "
          + design + "; designs: " + Designs.labels(w));
    }
    return new Resolved(d.workload(), d.design(), Experiment.streams(d.workload()));
  }

  private Perturbations.Recording recording() {
    if (delays instanceof Count) {
      return new Perturbations.Counting();
    } else if (delays instanceof AtTaskPoints a) {
      return Perturbations.atTaskPoints(a.delays());
    } else if (delays instanceof RandomDelays d) {
      return Perturbations.random(new SplittableRandom(d.seed()), d.p(),
          new Perturbations.DelayRange(d.lo(), d.hi()));
    } else if (delays instanceof Replay rp) {
      return Perturbations.replay(rp.points());
    }
    return new Pairs.Observed();
  }

  /** The task as bytes, for the wire: hunt, workload, overrides, design, replication, delays. */
  public byte[] encode() {
    return bytes(out -> {
      ResultCodec.string(out, hunt);
      ResultCodec.string(out, fileName);
      ResultCodec.string(out, workloadText);
      out.writeInt(sets.size());
      for (String s : sets) {
        ResultCodec.string(out, s);
      }
      ResultCodec.string(out, design);
      out.writeInt(replication);
      if (delays instanceof Count) {
        out.writeByte(0);
      } else if (delays instanceof AtTaskPoints a) {
        out.writeByte(1);
        out.writeInt(a.delays().size());
        for (Map.Entry<String, Map<Long, Long>> e : a.delays().entrySet()) {
          ResultCodec.string(out, e.getKey());
          out.writeInt(e.getValue().size());
          for (Map.Entry<Long, Long> d : e.getValue().entrySet()) {
            out.writeLong(d.getKey());
            out.writeLong(d.getValue());
          }
        }
      } else if (delays instanceof RandomDelays d) {
        out.writeByte(2);
        out.writeLong(d.seed());
        out.writeDouble(d.p());
        out.writeLong(d.lo());
        out.writeLong(d.hi());
      } else if (delays instanceof Replay rp) {
        out.writeByte(3);
        writePoints(out, rp.points());
      } else if (delays instanceof Observe ob) {
        out.writeByte(4);
        out.writeLong(ob.seed());
        out.writeInt(ob.roundStart());
        out.writeInt(ob.most());
      }
    });
  }

  /** The task {@code bytes} encode; IllegalArgumentException if they are malformed. */
  public static HuntTask decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      String hunt = ResultCodec.string(in);
      String fileName = ResultCodec.string(in);
      String text = ResultCodec.string(in);
      List<String> sets = new ArrayList<>();
      for (int i = ResultCodec.count(in); i > 0; i--) {
        sets.add(ResultCodec.string(in));
      }
      String design = ResultCodec.string(in);
      int replication = in.readInt();
      int kind = in.readUnsignedByte();
      Delays delays = switch (kind) {
        case 0 -> new Count();
        case 1 -> {
          Map<String, Map<Long, Long>> at = new TreeMap<>();
          for (int i = ResultCodec.count(in); i > 0; i--) {
            Map<Long, Long> mine = at.computeIfAbsent(ResultCodec.string(in), k -> new TreeMap<>());
            for (int k = ResultCodec.count(in); k > 0; k--) {
              long ordinal = in.readLong();
              mine.put(ordinal, in.readLong());
            }
          }
          yield new AtTaskPoints(at);
        }
        case 2 -> new RandomDelays(in.readLong(), in.readDouble(), in.readLong(), in.readLong());
        case 3 -> new Replay(readPoints(in));
        case 4 -> new Observe(in.readLong(), in.readInt(), in.readInt());
        default -> throw new IllegalArgumentException("unknown kind of delays " + kind);
      };
      if (in.read() != -1) {
        throw new IllegalArgumentException("bytes left over after the encoded hunt task");
      }
      return new HuntTask(hunt, fileName, text, sets, design, replication, delays);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated hunt task: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "design " + design + " replication " + replication + " with "
        + delays.getClass().getSimpleName();
  }

  private interface Writing {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] bytes(Writing w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static void writePoints(DataOutputStream out, List<Point> points) throws IOException {
    out.writeInt(points.size());
    for (Point p : points) {
      ResultCodec.string(out, p.task());
      out.writeLong(p.ordinal());
      ResultCodec.string(out, p.primitive());
      out.writeLong(p.delayNs());
    }
  }

  private static List<Point> readPoints(DataInputStream in) throws IOException {
    List<Point> out = new ArrayList<>();
    for (int i = ResultCodec.count(in); i > 0; i--) {
      String task = ResultCodec.string(in);
      long ordinal = in.readLong();
      String primitive = ResultCodec.string(in);
      out.add(new Point(task, ordinal, primitive, in.readLong()));
    }
    return out;
  }
}
