package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local sweep or hunt never loads Hazelcast or faultsim's cluster code: the command line
 * reaches it only through {@code worker}, {@code sweep --cluster} and {@code hunt --cluster}.
 * Checked by running the command line in a fresh class loader that defines faultsim's and
 * Hazelcast's classes itself and records every class those ask for; a Hazelcast-typed field or
 * static reference in {@code Main}, a command or the sweep or hunt code would show up in the
 * record (picocli reads every command's fields).
 */
final class LocalSweepLoadsNoClusterCodeTest {
  @Test
  void localSweep_loadsNoHazelcastClass(@TempDir Path dir) throws Exception {
    try (RecordingLoader loader = new RecordingLoader()) {
      Class<?> main = Class.forName("faultsim.cli.Main", true, loader);
      Method execute = main.getMethod("execute", String[].class, PrintWriter.class,
          PrintWriter.class);
      StringWriter err = new StringWriter();
      String[] args = {"sweep", SweepTest.WORKLOAD.toString(), "--set", "machine.cores=1,2",
          "--set", "global.runtime=1ms", "--set", "replications=2", "--threads", "2",
          "--out", dir.resolve("s").toString()};
      int status = (int) execute.invoke(null, args, new PrintWriter(new StringWriter()),
          new PrintWriter(err));

      assertThat(status).as(err.toString()).isZero();
      // The record did see the command line, the worker command and the local pool ...
      assertThat(loader.requested).contains("faultsim.cli.Main", "faultsim.cli.WorkerCommand",
          "faultsim.run.Sweep", "faultsim.run.LocalRunPool", "faultsim.run.ResultCodec");
      // ... and nothing of the cluster.
      assertThat(loader.requested).filteredOn(n -> n.startsWith("com.hazelcast.")
          || n.startsWith("faultsim.cluster.")).isEmpty();
    }
  }

  @Test
  void localHunt_loadsNoHazelcastClass(@TempDir Path dir) throws Exception {
    // hunt takes --cluster as sweep does, and its schedules go through the same pool interface.
    try (RecordingLoader loader = new RecordingLoader()) {
      Class<?> main = Class.forName("faultsim.cli.Main", true, loader);
      Method execute = main.getMethod("execute", String[].class, PrintWriter.class,
          PrintWriter.class);
      StringWriter err = new StringWriter();
      String[] args = {"hunt", "../workloads/dax-fault-vs-punch.yaml", "--set",
          "global.runtime=50us", "--design", "linux_6_6", "--schedules", "1", "--threads", "1",
          "--out", dir.resolve("h").toString()};
      int status = (int) execute.invoke(null, args, new PrintWriter(new StringWriter()),
          new PrintWriter(err));

      assertThat(status).as(err.toString()).isZero();
      assertThat(loader.requested).contains("faultsim.hunt.Hunt", "faultsim.hunt.HuntTask",
          "faultsim.run.LocalRunPool");
      assertThat(loader.requested).filteredOn(n -> n.startsWith("com.hazelcast.")
          || n.startsWith("faultsim.cluster.")).isEmpty();
    }
  }

  @Test
  void recordingLoader_seesHazelcastReferencedByAFaultsimClass() throws Exception {
    // The control: the cluster pool's fields are Hazelcast types, and reading them (as picocli
    // reads a command's fields) asks the loader for those classes.
    try (RecordingLoader loader = new RecordingLoader()) {
      Class<?> pool = Class.forName("faultsim.cluster.ClusterRunPool", false, loader);
      pool.getDeclaredFields();
      assertThat(loader.requested).contains("com.hazelcast.core.HazelcastInstance");
    }
  }

  /**
   * Defines {@code faultsim.*} and {@code com.hazelcast.*} classes itself from the build's class
   * directories and the Hazelcast jar (child first), delegates the rest to the test's loader, and
   * records every class name asked of it.
   */
  static final class RecordingLoader extends URLClassLoader {
    final Set<String> requested = ConcurrentHashMap.newKeySet();

    RecordingLoader() throws Exception {
      super(new URL[] {location(Main.class), location(SweepTest.class),
          location(Class.forName("com.hazelcast.core.Hazelcast", false,
              LocalSweepLoadsNoClusterCodeTest.class.getClassLoader()))},
          LocalSweepLoadsNoClusterCodeTest.class.getClassLoader());
    }

    private static URL location(Class<?> c) {
      return c.getProtectionDomain().getCodeSource().getLocation();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      if (!name.startsWith("faultsim.") && !name.startsWith("com.hazelcast.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
