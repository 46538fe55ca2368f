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
 * another process taking the core for a while counts against neither build. The figure is the
 * median of the slices' paired ratios of faults per CPU second, second build over first.
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
 * then {@code cores runtime regions} as {@link FaultBenchmark}'s parameters, then optionally the
 * number of slice pairs (16), a slice's length in ms (1500), {@code speculateNs} (0),
 * {@code intrinsic} (false) and {@code profiled} (false: true charges time to call stacks, as
 * {@code faultsim run} does). The design is {@code linux_6_6}. The collector's threads are not
 * timed, so check allocation on its own ({@code -prof gc}).
 */
public final class PairedBuilds {
  private PairedBuilds() {}

  /** One build: its benchmark state, loaded from its jar alone. */
  private static final class Build {
    final String name;
    final Object bench;
    final Method replication;
    final Class<?> countsClass;

    Build(Path jar, Settings s) throws ReflectiveOperationException, java.io.IOException {
      name = jar.getFileName().toString();
      ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> c = Class.forName(FaultBenchmark.class.getName(), true, loader);
      bench = c.getDeclaredConstructor().newInstance();
      set(c, "cores", s.cores);
      set(c, "design", "linux_6_6");
      set(c, "regions", s.regions);
      set(c, "runtime", s.runtime);
      set(c, "speculateNs", s.speculateNs);
      set(c, "intrinsic", s.intrinsic);
      if (s.profiled) {
        // Only asked for when both builds' benchmarks have the parameter.
        set(c, "profiled", true);
      }
      c.getMethod("setUp").invoke(bench);
      countsClass = Class.forName(FaultBenchmark.Counts.class.getName(), true, loader);
      replication = c.getMethod("replication", countsClass);
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

  private record Settings(int cores, String runtime, String regions, int pairs, long sliceMs,
      long speculateNs, boolean intrinsic, boolean profiled) {
    static Settings parse(String[] a, int from) {
      return new Settings(Integer.parseInt(a[from]), a[from + 1], a[from + 2],
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
      System.out.println("RATIO " + oneOrder(Path.of(rest[0]), Path.of(rest[1]),
          Settings.parse(rest, 2)));
      return;
    }
    if (args.length < 5) {
      System.err.println("usage: PairedBuilds OLD.jar NEW.jar CORES RUNTIME REGIONS"
          + " [PAIRS [SLICE_MS [SPECULATE_NS [INTRINSIC [PROFILED]]]]]");
      System.exit(2);
    }
    for (int i = 0; i < 2; i++) {
      if (!Files.isRegularFile(Path.of(args[i]))) {
        System.err.println("PairedBuilds: no jar at " + args[i]);
        System.exit(2);
      }
    }
    try {
      Settings.parse(args, 2);
    } catch (NumberFormatException e) {
      // Checked here, before two JVMs are started to find out.
      System.err.println("PairedBuilds: CORES, PAIRS, SLICE_MS and SPECULATE_NS are whole"
          + " numbers: " + e.getMessage());
      System.exit(2);
    }
    String[] swapped = args.clone();
    swapped[0] = args[1];
    swapped[1] = args[0];
    double forward = child(args);
    double backward = child(swapped);
    System.out.printf(Locale.ROOT, "%s / %s, faults per CPU second: %.3f (%.3f in one order,"
        + " 1/%.3f in the other)%n", Path.of(args[1]).getFileName(),
        Path.of(args[0]).getFileName(), Math.sqrt(forward / backward), forward, backward);
  }

  /** Runs one order in a fresh JVM with this JVM's options; returns its ratio. */
  private static double child(String[] args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PairedBuilds.class.getName());
    cmd.add("--one-order");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    double ratio = Double.NaN;
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RATIO ")) {
          ratio = Double.parseDouble(line.substring(6));
        } else {
          System.out.println(line);
        }
      }
    }
    if (p.waitFor() != 0 || Double.isNaN(ratio)) {
      throw new IllegalStateException("the run of one order failed: " + cmd);
    }
    return ratio;
  }

  /** The median ratio of the second build's faults per CPU second over the first's. */
  private static double oneOrder(Path first, Path second, Settings s) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Build a = new Build(first, s);
    Build b = new Build(second, s);
    for (int i = 0; i < 12; i++) {
      a.run(2000, mx);
      b.run(2000, mx);
    }
    List<Double> ratios = new ArrayList<>();
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
      ratios.add(((double) rb[1] / rb[0]) / ((double) ra[1] / ra[0]));
    }
    Collections.sort(ratios);
    double median = ratios.get(ratios.size() / 2);
    System.out.printf(Locale.ROOT, "%d cores, %s, %s: %s %.1f ns/event, %s %.1f ns/event;"
        + " second / first %.3f (quartiles %.3f, %.3f)%n", s.cores, s.runtime, s.regions,
        a.name, (double) sumA[0] / sumA[2], b.name, (double) sumB[0] / sumB[2], median,
        ratios.get(ratios.size() / 4), ratios.get(3 * ratios.size() / 4));
    return median;
  }
}
