package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code workloads/one-lock-mva.yaml} through the command line with N = 1..64 tasks on N cores:
 * exp(20 us) think, exp(1 us) hold, every cost zero. Exact MVA for one FCFS station (S = 1000 ns)
 * and a delay station (Z = 20000 ns): Q(0) = 0, R(k) = S (1 + Q(k-1)), X(k) = k / (Z + R(k)),
 * Q(k) = X(k) R(k). The run length is chosen so that about 400,000 operations are measured; the
 * throughput in summary.csv must be within 1 % of X(N) and the mean wait per acquisition from
 * locks.csv (waittime-total / acquisitions) within 2 % of R(N) - S.
 */
final class MvaWorkloadTest {
  @ParameterizedTest(name = "N={0}")
  @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64})
  void oneLockWorkload_matchesExactMva(int n, @TempDir Path dir) throws IOException {
    double z = 20_000;
    double s = 1_000;
    double q = 0;
    double x = 0;
    double r = 0;
    for (int k = 1; k <= n; k++) {
      r = s * (1 + q);
      x = k / (z + r);
      q = x * r;
    }
    long runtimeNs = (long) (400_000 / x);
    Path out = dir.resolve("r");
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"run", "../workloads/one-lock-mva.yaml",
        "--out", out.toString(), "--replications", "1",
        "--set", "machine.cores=" + n, "--set", "jobs.worker.numjobs=" + n,
        "--set", "global.runtime=" + runtimeNs + "ns"},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(status).as(err.toString()).isZero();

    double throughputPerNs = metric(out, "throughput") / 1e9;
    assertThat(throughputPerNs).isCloseTo(x, within(0.01 * x));
    String[] lock = Files.readAllLines(out.resolve("locks.csv")).get(1).split(",");
    // design,class,side,con-bounces,contentions,wait-min,wait-max,wait-total,wait-avg,acq-bounces,acquisitions,...
    double waitTotal = Double.parseDouble(lock[7]);
    double acquisitions = Double.parseDouble(lock[10]);
    double expectedWait = r - s;
    if (n == 1) {
      assertThat(waitTotal).isZero();
    } else {
      assertThat(waitTotal / acquisitions).isCloseTo(expectedWait, within(0.02 * expectedWait));
    }
  }

  private static double metric(Path out, String name) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
    for (String l : lines) {
      String[] f = l.split(",");
      if (f[1].equals("worker") && f[2].equals(name)) {
        return Double.parseDouble(f[3]);
      }
    }
    throw new AssertionError(String.format(Locale.ROOT, "no metric %s in %s", name, lines));
  }
}
