package faultsim.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a design lost, in one line under the verdict, put together from three things the report
 * also shows in full: where the main job's tasks spent their time off the CPU (the flame graph's
 * biggest wait frame (a timed sleep is the workload's pacing and is left out), against the same frame in the best safe design), the lock they waited on
 * most (its lock_stat waits by side, the longest, and how many were still waiting at the end),
 * and, for an rwsem, the lock event counters that tell how waiters were served
 * ({@code rwsem_rlock_steal}, {@code rwsem_wlock_handoff}, {@code rwsem_sleep_writer}). A line is
 * given for every unsafe design and every safe design but the fastest.
 *
 * @param text the explanation
 * @param flame link to the design's flame graph, or empty
 * @param locks link to the design's lock_stat table
 */
public record Why(String design, String colour, String text, String flame, String locks) {

  /** The counters the line always quotes for a design with rwsem events, in this order. */
  static final List<String> RWSEM_EVENTS =
      List.of("rwsem_rlock_steal", "rwsem_wlock_handoff", "rwsem_sleep_writer");

  static List<Why> of(ResultsData data, String job, List<String> explain, String best)
      throws IOException {
    List<Why> out = new ArrayList<>();
    Map<String, Long> bestWaits = best == null ? Map.of() : offCpu(data, best, job);
    for (String design : explain) {
      List<String> parts = new ArrayList<>();
      Map<String, Long> waits = offCpu(data, design, job);
      long total = waits.getOrDefault("", 0L);
      String frame = null;
      for (Map.Entry<String, Long> e : waits.entrySet()) {
        if (!e.getKey().isEmpty() && (frame == null || e.getValue() > waits.get(frame))) {
          frame = e.getKey();
        }
      }
      if (frame != null && total > 0) {
        String p = job + " tasks spent " + share(waits.get(frame), total) + " of their time in "
            + frame;
        long bestTotal = bestWaits.getOrDefault("", 0L);
        if (best != null && bestTotal > 0) {
          p += " (" + best + ": " + share(bestWaits.getOrDefault(frame, 0L), bestTotal) + ")";
        }
        parts.add(p);
      }
      String lock = mostWaited(data, design);
      if (lock != null) {
        parts.add(lockPart(data, design, lock));
        // The rwsem events count all rwsems: quoted when the lock waited on most has a read
        // side.
        String events = hasReadSide(data, design, lock) ? rwsemPart(data, design) : "";
        if (!events.isEmpty()) {
          parts.add(events);
        }
      }
      if (parts.isEmpty()) {
        parts.add("no task waited on a lock and nothing was recorded off the CPU");
      }
      int d = data.designs.indexOf(design);
      String slug = Report.slug(design);
      boolean hasFlame = Files.isRegularFile(data.dir.resolve("stacks")
          .resolve(faultsim.results.ResultsWriter.fileName(design) + ".folded"));
      out.add(new Why(design, ChartStyle.hex(ChartStyle.design(d)), String.join("; ", parts),
          hasFlame ? "#flame-" + slug : "", "#lock-stat-" + slug));
    }
    return out;
  }

  private static String share(long part, long total) {
    return Fmt.percent((double) part / total).replace("+", "");
  }

  /**
   * The main job's time by what its tasks waited for (the frames {@code [spin …]},
   * {@code [wait …]}, {@code [sleep]}, {@code [io …]}, {@code [wakeup]}, {@code [runqueue]}
   * wherever they were called from), and its whole time under the key {@code ""}; empty when
   * the design has no folded stacks.
   */
  static Map<String, Long> offCpu(ResultsData data, String design, String job)
      throws IOException {
    Path folded = data.dir.resolve("stacks")
        .resolve(faultsim.results.ResultsWriter.fileName(design) + ".folded");
    Map<String, Long> out = new TreeMap<>();
    if (!Files.isRegularFile(folded)) {
      return out;
    }
    FlameGraph.Frame root = FlameGraph.parse(folded, "all").children.get(job);
    if (root == null) {
      return out;
    }
    out.put("", root.total);
    collect(root, out);
    return out;
  }

  private static void collect(FlameGraph.Frame f, Map<String, Long> out) {
    // A timed sleep is the workload's own pacing (think time), not something the design made
    // the task wait for.
    if (f.self > 0 && f.name.startsWith("[") && !f.name.equals("[user]")
        && !f.name.equals("[sleep]") && !f.name.equals("[not started]")
        && !f.name.equals("[exited]")) {
      out.merge(f.name, f.self, Long::sum);
    }
    for (FlameGraph.Frame c : f.children.values()) {
      collect(c, out);
    }
  }

  /** The class the design's tasks waited on longest in all, or null if none waited. */
  static String mostWaited(ResultsData data, String design) {
    Map<String, Long> byClass = new LinkedHashMap<>();
    for (ResultsData.LockRow r : data.locks) {
      if (r.design().equals(design) && r.contentions() > 0) {
        byClass.merge(r.className(), r.waitTotalNs(), Long::sum);
      }
    }
    String best = null;
    for (Map.Entry<String, Long> e : byClass.entrySet()) {
      if (best == null || e.getValue() > byClass.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  private static boolean hasReadSide(ResultsData data, String design, String cls) {
    return data.locks.stream().anyMatch(r -> r.design().equals(design)
        && r.className().equals(cls) && r.side().equals("R"));
  }

  /** {@code &mm->mmap_lock: readers waited 5,040 times (longest 19.08 µs), writers …}. */
  private static String lockPart(ResultsData data, String design, String cls) {
    List<String> sides = new ArrayList<>();
    Map<String, Long> atEnd = data.waitingAtEnd.getOrDefault(design, Map.of());
    for (ResultsData.LockRow r : data.locks) {
      if (!r.design().equals(design) || !r.className().equals(cls) || r.contentions() == 0) {
        continue;
      }
      String who = switch (r.side()) {
        case "R" -> "readers";
        case "W" -> "writers";
        default -> "tasks";
      };
      String s = String.format(Locale.ROOT, "%s waited %,d times, %s in all (longest %s)", who,
          r.contentions(), Fmt.time(r.waitTotalNs()), Fmt.time(r.waitMaxNs()));
      s += String.format(Locale.ROOT, ", %,d waiting at the end",
          atEnd.getOrDefault(r.displayName(), 0L));
      sides.add(s);
    }
    return cls + ": " + String.join(", ", sides);
  }

  /**
   * The rwsem lock events that say how waiters were served, and what they add up to: readers
   * taking the lock past sleeping writers, or writers forcing a handoff after
   * {@code RWSEM_WAIT_TIMEOUT}.
   */
  private static String rwsemPart(ResultsData data, String design) {
    Map<String, Long> ev = new TreeMap<>();
    for (ResultsData.SummaryRow r : data.summary) {
      if (r.design().equals(design) && r.job().equals("vmstat")
          && r.metric().startsWith("rwsem_")) {
        ev.put(r.metric(), Math.round(r.mean() * r.n()));
      }
    }
    if (ev.isEmpty()) {
      return "";
    }
    List<String> quoted = new ArrayList<>();
    for (String name : RWSEM_EVENTS) {
      quoted.add(String.format(Locale.ROOT, "%s %,d", name, ev.getOrDefault(name, 0L)));
    }
    long steal = ev.getOrDefault("rwsem_rlock_steal", 0L);
    long handoff = ev.getOrDefault("rwsem_wlock_handoff", 0L);
    long sleptW = ev.getOrDefault("rwsem_sleep_writer", 0L);
    String says;
    if (steal > 0 && sleptW > 0) {
      says = handoff == 0
          ? ": readers kept taking the lock ahead of sleeping writers, and no writer waited"
              + " past RWSEM_WAIT_TIMEOUT to have it handed off"
          : String.format(Locale.ROOT, ": readers took the lock ahead of sleeping writers"
              + " until writers waited past RWSEM_WAIT_TIMEOUT and had it handed off %,d times",
              handoff);
    } else if (handoff > 0) {
      says = String.format(Locale.ROOT, ": writers waited past RWSEM_WAIT_TIMEOUT and had the"
          + " lock handed off %,d times", handoff);
    } else if (sleptW > 0) {
      says = ": writers slept for the lock, no reader took it ahead of them";
    } else {
      says = "";
    }
    return String.join(", ", quoted) + says;
  }
}
