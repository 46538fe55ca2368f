package faultsim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import faultsim.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hunt whose schedules run on a cluster of two workers (in-JVM members, one thread each)
 * writes what a hunt on one local thread writes: the same {@code hunt.csv}, {@code hunt.txt},
 * schedule and violation files and {@code index.html}, byte for byte, whatever order the
 * schedules finish in. The DAX workload at 100 us: the pairs strategy finds
 * {@code dax_isize_recheck}'s stale data at schedule 1, random at schedule 2 (a batch of two
 * schedules, one per worker, so the later schedule's result may come back first), and
 * {@code linux_6_6} shows nothing in its 12 schedules, all of which run on the workers.
 */
final class ClusterHuntTest {
  static final Path DAX = Path.of("..", "workloads", "dax-fault-vs-punch.yaml");

  private final List<HazelcastInstance> members = new ArrayList<>();
  private final String clusterName = "faultsim-test-" + UUID.randomUUID();

  @AfterEach
  void stopMembers() {
    for (HazelcastInstance m : members) {
      m.getLifecycleService().terminate();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pairs", "random"})
  void huntOnTwoWorkers_writesWhatAHuntOnOneLocalThreadWrites(String strategy,
      @TempDir Path dir) throws Exception {
    List<String> addresses = Workers.startTwo(clusterName, members);
    List<String> hunt = List.of("hunt", DAX.toString(), "--set", "global.runtime=100us",
        "--design", "dax_isize_recheck", "--design", "linux_6_6", "--schedules", "12",
        "--strategy", strategy);

    // Both write to the same --out (the report's replay command lines name it); the local
    // results are moved aside first.
    Path out = dir.resolve("h");
    Result l = command(hunt, "--out", out.toString(), "--threads", "1");
    assertThat(l.status).as(l.err).isZero();
    Path local = Files.move(out, dir.resolve("local"));
    Result c = command(hunt, "--out", out.toString(), "--cluster",
        String.join(",", addresses), "--cluster-name", clusterName);
    Path cluster = out;

    assertThat(c.status).as(c.err).isZero();
    assertThat(c.out).contains("hunt: schedules run on cluster '" + clusterName
        + "': 2 workers, 2 threads");
    // The comparison covers a finding and a design searched to the end.
    String csv = Files.readString(local.resolve("hunt.csv"));
    assertThat(csv).contains("dax_isize_recheck,stale_data,true,",
        "linux_6_6,stale_data,false,12,");
    assertThat(cluster.resolve("hunt/dax_isize_recheck-stale_data.schedule")).exists();
    assertThat(cluster.resolve("index.html")).exists();
    SameResults.assertSameFiles(cluster, local);
    assertThat(Files.readString(cluster.resolve("manifest.json")))
        .contains("\"cluster\" : \"" + clusterName + "\"");
  }

  private record Result(int status, String out, String err) {}

  private static Result command(List<String> args, String... more) {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(a.toArray(String[]::new), new PrintWriter(out),
        new PrintWriter(err));
    return new Result(status, out.toString(), err.toString());
  }
}
