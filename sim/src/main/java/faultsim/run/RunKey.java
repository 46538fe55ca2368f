package faultsim.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What identifies one run wherever it executes: the workload text (by its hash), the
 * {@code --set} overrides of its sweep point, the design and the replication. The seed comes from
 * the workload and replication {@code r} uses substream {@code r} of every stream, so a run with
 * the same key gives the same result on any host.
 *
 * @param workloadHash SHA-256 of the workload file's text, lower-case hex
 * @param sets {@code key=value} overrides applied to the workload, in order
 * @param design the design's label: the entry's {@code as:}, else the design's own name (for a
 *     design file, the name in its header, not its path)
 * @param replication 0-based replication, the substream index
 */
public record RunKey(String workloadHash, List<String> sets, String design, int replication) {
  public RunKey {
    sets = List.copyOf(sets);
  }

  /** SHA-256 of {@code text} in UTF-8, lower-case hex: the same as {@code sha256sum FILE}. */
  public static String workloadHash(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * The cluster name a sweep of this workload uses unless told otherwise:
   * {@code faultsim-} and the first 12 hex digits of the workload's hash, so sweeps of different
   * workloads never share workers by accident.
   */
  public static String defaultClusterName(String workloadText) {
    return "faultsim-" + workloadHash(workloadText).substring(0, 12);
  }
}
