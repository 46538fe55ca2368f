package faultsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Compares the fault model's speed in two builds when the difference is smaller than the noise
 * between JMH runs on a shared machine: both builds' benchmark jars are loaded into one JVM,
 * each in its own class loader, warmed, then run in alternating slices of {@link
 * FaultBenchmark} replications. Each slice is timed by the simulating thread's CPU time, so
 * another process taking the core for a while counts against neither build. The figures are the
 * medians of the slices' paired ratios of faults, and of engine events, per CPU second, second
 * build over first.
 *
 * <p>The jar loaded second can measure a few per cent slower even against a copy of itself (7 %
 * at 1,024 cores once; the cause was not pinned down), so the comparison runs twice, in a fresh
 * JVM each time, once in each order, and reports the geometric mean of the two ratios.
 *
 * <h2>How to run it</h2>
 *
 * <pre>{@code
 * java -cp sim/target/benchmarks.jar faultsim.bench.PairedBuilds OLD.jar NEW.jar 64 500us private
 * }</pre>
 *
 * <p>Arguments: the two benchmark jars (each built with {@code -Pbench} from its own tree),
 * then {@code cores runtime regions} as {@link FaultBenchmark}'s parameters ({@code cores} as
 * {@code N:M} runs the first build at N cores and the second at M: one jar given twice then
 * measures what more simulated cores cost, in alternating slices), then optionally the
 * number of slice pairs (16), a slice's length in ms (1500), {@code speculateNs} (0),
 * {@code intrinsic} (false) and {@code profiled} (false: true charges time to call stacks, as
 * {@code faultsim run} does). The design is {@code linux_6_6}. The collector's threads are not
 * timed, so check allocation on its own ({@code -prof gc}).
 *
 * <p>A jar from before {@code FaultBenchmark} had a parameter runs that parameter's one fixed
 * value (every task reading the same 8 MiB for 500 us: {@code shared}, {@code 500us}, no
 * running ahead, no call stacks), so such a build can be compared only in that shape. Give it
 * a longer warm-up if its design loop is slow to compile ({@code -Dpaired.warmupSlices=N}, 12
 * slices of 2 s per build by default).
 */
public final class PairedBuilds {
  private PairedBuilds() {}

  /** One build: its benchmark state, loaded from its jar alone. */
  private static final class Build {
    final String name;
    final Object bench;
    final Method replication;
    final Class<?> countsClass;

    Build(Path jar, int cores, Settings s)
        throws ReflectiveOperationException, java.io.IOException {
      name = side(jar.toString(), cores, s);
      ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> c = Class.forName(FaultBenchmark.class.getName(), true, loader);
      bench = c.getDeclaredConstructor().newInstance();
      set(c, "cores", cores);
      set(c, "design", "linux_6_6");
      // A build older than a parameter ran one fixed shape: every task reading the same 8 MiB
      // of a 1 GiB file for 500 us, one event per step, nothing charged to call stacks. It may
      // be compared in that shape only.
      setOrFixed(c, "regions", s.regions, "shared");
      setOrFixed(c, "runtime", s.runtime, "500us");
      setOrFixed(c, "speculateNs", s.speculateNs, 0L);
      setOrFixed(c, "intrinsic", s.intrinsic, false);
      setOrFixed(c, "profiled", s.profiled, false);
      c.getMethod("setUp").invoke(bench);
      countsClass = Class.forName(FaultBenchmark.Counts.class.getName(), true, loader);
      replication = c.getMethod("replication", countsClass);
    }

    private void setOrFixed(Class<?> c, String field, Object value, Object fixed)
        throws ReflectiveOperationException {
      try {
        c.getDeclaredField(field);
      } catch (NoSuchFieldException e) {
        if (!value.equals(fixed)) {
          throw new IllegalArgumentException(name + " has no parameter " + field
              + ": it runs only " + field + " " + fixed + ", not " + value);
        }
        System.out.println(name + " has no parameter " + field + "; it runs " + fixed);
        return;
      }
      set(c, field, value);
    }

    private void set(Class<?> c, String field, Object value) throws ReflectiveOperationException {
      Field f = c.getDeclaredField(field);
      f.setAccessible(true);
      f.set(bench, value);
    }

    /** Runs replications for about {@code ms}; returns {CPU ns, faults, events}. */
    long[] run(long ms, ThreadMXBean mx) throws ReflectiveOperationException {
      Object counts = countsClass.getDeclaredConstructor().newInstance();
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      while (System.nanoTime() - wall0 < ms * 1_000_000L) {
        replication.invoke(bench, counts);
      }
      long cpu = mx.getCurrentThreadCpuTime() - cpu0;
      return new long[] {cpu, countsClass.getField("faults").getLong(counts),
          countsClass.getField("events").getLong(counts)};
    }
  }

  /**
   * The comparison's settings; {@code cores} is {@code N}, or {@code N:M} for the first build at
   * N cores and the second at M.
   */
  private record Settings(int firstCores, int secondCores, String runtime, String regions,
      int pairs, long sliceMs, long speculateNs, boolean intrinsic, boolean profiled) {
    boolean sameCores() {
      return firstCores == secondCores;
    }

    String cores() {
      return sameCores() ? firstCores + " cores" : firstCores + " against " + secondCores
          + " cores";
    }

    /** The first build's and the second's cores from {@code N} or {@code N:M}. */
    static int[] cores(String spec) {
      int colon = spec.indexOf(':');
      return colon < 0 ? new int[] {Integer.parseInt(spec), Integer.parseInt(spec)}
          : new int[] {Integer.parseInt(spec.substring(0, colon)),
              Integer.parseInt(spec.substring(colon + 1))};
    }

    static Settings parse(String[] a, int from) {
      int[] cores = cores(a[from]);
      return new Settings(cores[0], cores[1], a[from + 1], a[from + 2],
          a.length > from + 3 ? Integer.parseInt(a[from + 3]) : 16,
          a.length > from + 4 ? Long.parseLong(a[from + 4]) : 1500,
          a.length > from + 5 ? Long.parseLong(a[from + 5]) : 0,
          a.length > from + 6 && Boolean.parseBoolean(a[from + 6]),
          a.length > from + 7 && Boolean.parseBoolean(a[from + 7]));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--one-order")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      double[] r = oneOrder(Path.of(rest[0]), Path.of(rest[1]), Settings.parse(rest, 2));
      System.out.println("RATIO " + r[0] + " " + r[1]);
      return;
    }
    if (args.length < 5) {
      System.err.println("usage: PairedBuilds OLD.jar NEW.jar CORES[:CORES] RUNTIME REGIONS"
          + " [PAIRS [SLICE_MS [SPECULATE_NS [INTRINSIC [PROFILED]]]]]");
      System.exit(2);
    }
    for (int i = 0; i < 2; i++) {
      if (!Files.isRegularFile(Path.of(args[i]))) {
        System.err.println("PairedBuilds: no jar at " + args[i]);
        System.exit(2);
      }
    }
    Settings settings;
    try {
      settings = Settings.parse(args, 2);
    } catch (NumberFormatException e) {
      // Checked here, before two JVMs are started to find out.
      System.err.println("PairedBuilds: CORES, PAIRS, SLICE_MS and SPECULATE_NS are whole"
          + " numbers: " + e.getMessage());
      System.exit(2);
      return;
    }
    // The other order: the jars swapped, and with them the cores each runs at.
    String[] swapped = args.clone();
    swapped[0] = args[1];
    swapped[1] = args[0];
    swapped[2] = settings.secondCores() + ":" + settings.firstCores();
    double[] forward = child(args);
    double[] backward = child(swapped);
    System.out.printf(Locale.ROOT, "%s / %s, faults per CPU second: %.3f (%.3f in one order,"
        + " 1/%.3f in the other); events per CPU second: %.3f (%.3f, 1/%.3f)%n",
        side(args[1], settings.secondCores(), settings), side(args[0], settings.firstCores(),
            settings), Math.sqrt(forward[0] / backward[0]), forward[0], backward[0],
        Math.sqrt(forward[1] / backward[1]), forward[1], backward[1]);
  }

  /** A build's name in the output: its jar's, and its cores when the two builds' differ. */
  private static String side(String jar, int cores, Settings s) {
    return Path.of(jar).getFileName() + (s.sameCores() ? "" : " at " + cores + " cores");
  }

  /** Runs one order in a fresh JVM with this JVM's options; returns its two ratios. */
  private static double[] child(String[] args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PairedBuilds.class.getName());
    cmd.add("--one-order");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    double[] ratios = null;
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RATIO ")) {
          String[] r = line.substring(6).split(" ");
          ratios = new double[] {Double.parseDouble(r[0]), Double.parseDouble(r[1])};
        } else {
          System.out.println(line);
        }
      }
    }
    if (p.waitFor() != 0 || ratios == null) {
      throw new IllegalStateException("the run of one order failed: " + cmd);
    }
    return ratios;
  }

  /**
   * The median ratios of the second build's faults, and events, per CPU second over the
   * first's.
   */
  private static double[] oneOrder(Path first, Path second, Settings s) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Build a = new Build(first, s.firstCores(), s);
    Build b = new Build(second, s.secondCores(), s);
    // A build from before the design loop's deoptimisation was fixed needs about a minute on
    // Java 17 to reach its compiled speed; -Dpaired.warmupSlices raises the 12 slices of 2 s.
    int warmup = Integer.getInteger("paired.warmupSlices", 12);
    for (int i = 0; i < warmup; i++) {
      a.run(2000, mx);
      b.run(2000, mx);
    }
    List<Double> faults = new ArrayList<>();
    List<Double> events = new ArrayList<>();
    long[] sumA = new long[3];
    long[] sumB = new long[3];
    for (int i = 0; i < s.pairs; i++) {
      // Alternate which build runs first in a pair, so neither always follows the other.
      long[] ra = i % 2 == 0 ? a.run(s.sliceMs, mx) : null;
      long[] rb = b.run(s.sliceMs, mx);
      if (ra == null) {
        ra = a.run(s.sliceMs, mx);
      }
      for (int k = 0; k < 3; k++) {
        sumA[k] += ra[k];
        sumB[k] += rb[k];
      }
      faults.add(((double) rb[1] / rb[0]) / ((double) ra[1] / ra[0]));
      events.add(((double) rb[2] / rb[0]) / ((double) ra[2] / ra[0]));
    }
    Collections.sort(faults);
    Collections.sort(events);
    double median = faults.get(faults.size() / 2);
    System.out.printf(Locale.ROOT, "%s, %s, %s: %s %.1f ns/event, %s %.1f ns/event;"
        + " second / first %.3f (quartiles %.3f, %.3f), events %.3f%n", s.cores(), s.runtime,
        s.regions, a.name, (double) sumA[0] / sumA[2], b.name, (double) sumB[0] / sumB[2],
        median, faults.get(faults.size() / 4), faults.get(3 * faults.size() / 4),
        events.get(events.size() / 2));
    return new double[] {median, events.get(events.size() / 2)};
  }
}
