package faultsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import faultsim.results.ResultsWriter;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders the report of a results directory into it: {@code index.html}, {@code charts/} (PNG and
 * SVG of every chart) and {@code designs/<design>.txt} (each design's source text). Everything is
 * read from the directory's files, never from a run in memory, so any directory can be rendered
 * again, with the same bytes. A sweep directory ({@code sweep.csv} and {@code points/}) gets a
 * report of its own, and each point one too.
 */
public final class Report {
  private Report() {}

  /** Whether {@code dir} is a run's results directory, a sweep's or a hunt's. */
  public static boolean isResultsDir(Path dir) {
    return ResultsData.isResultsDir(dir) || SweepData.isSweepDir(dir)
        || HuntPage.isHuntDir(dir);
  }

  /**
   * What {@code run} gives {@link ResultsWriter#write} to render the report before the results
   * directory is moved into place. A report that fails to render must not cost the results: the
   * failure is told on {@code err} and the directory is kept, to be rendered again with
   * {@code faultsim report}.
   */
  public static ResultsWriter.Finisher finisher(PrintWriter err) {
    return dir -> {
      try {
        render(dir);
      } catch (IOException | RuntimeException e) {
        err.println("faultsim: warning: the report was not rendered (" + e + "); the results are"
            + " complete, and 'faultsim report DIR' renders it again");
      }
    };
  }

  /**
   * Renders the report of a run's, a sweep's or a hunt's results directory (a hunt's is told
   * apart by its manifest's {@code command: hunt}).
   */
  public static void render(Path dir) throws IOException {
    if (SweepData.isSweepDir(dir)) {
      SweepReport.render(dir);
    } else if (HuntPage.isHuntDir(dir)) {
      sealedAfter(dir, () -> HuntPage.render(dir));
    } else if (ResultsData.isResultsDir(dir)) {
      renderSealed(dir, "");
    } else {
      throw new IOException(dir + " is not a results directory (no manifest.json and"
          + " summary.csv, nor sweep.csv, nor hunt.csv)");
    }
  }

  /**
   * Renders one run's report; a results directory that faultsim alone wrote stays so afterwards
   * (its {@code SHA256SUMS} is brought up to date), so a later run or sweep may still replace it.
   */
  static void renderSealed(Path dir, String up) throws IOException {
    sealedAfter(dir, () -> renderRun(dir, up));
  }

  private interface Rendering {
    void render() throws IOException;
  }

  /** Renders; a directory sealed before stays sealed after, its sums brought up to date. */
  private static void sealedAfter(Path dir, Rendering r) throws IOException {
    boolean sealed = faultsim.results.ResultsDirectory.isSealed(dir);
    r.render();
    if (sealed) {
      faultsim.results.ResultsDirectory.seal(dir);
    }
  }

  /** Renders one run's report; {@code up} links to an enclosing page (or is empty). */
  static void renderRun(Path dir, String up) throws IOException {
    ResultsData data = ResultsData.read(dir);
    Map<String, List<Figure>> figures = Charts.forRun(data);
    Path charts = dir.resolve("charts");
    deleteTree(charts);
    List<Page.ChartSection> sections = new ArrayList<>();
    for (Map.Entry<String, List<Figure>> e : figures.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      sections.add(new Page.ChartSection(e.getKey(), slug(e.getKey()),
          writeCharts(e.getValue(), charts, "charts/")));
    }
    SummaryTable summary = SummaryTable.of(data);
    Violations violations = Violations.parse(data.violations);
    Page page = new Page(data.text("workload", "name"),
        paragraphs(data.text("workload", "description")), data.text("workload", "file"),
        data.text("workload", "source"), machine(data.manifest), runFacts(data),
        writeDesigns(dir, data), Verdict.of(data, summary, violations), summary, sections,
        lockTables(data), violations, FlameGraph.write(data, charts), up);
    writeAtomically(dir.resolve("index.html"), render("index.jte", page));
  }

  static List<Page.Chart> writeCharts(List<Figure> figures, Path dir, String href)
      throws IOException {
    List<Page.Chart> out = new ArrayList<>();
    for (Figure f : figures) {
      ChartFiles.write(f, dir);
      out.add(new Page.Chart(f.title(), f.caption(), href + f.name() + ".svg",
          href + f.name() + ".png", f.width(), f.height()));
    }
    return out;
  }

  /** The page of {@code template} for {@code model}. */
  static String render(String template, Object model) {
    // The templates are classes beside this one: jte must load them with its class loader
    // (it asks the thread's context loader), so that they see the same model classes.
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(Report.class.getClassLoader());
    try {
      TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
          Report.class.getClassLoader(), "faultsim.report.templates");
      StringOutput out = new StringOutput();
      engine.render(template, model, out);
      return out.toString();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  static List<String> paragraphs(String text) {
    List<String> out = new ArrayList<>();
    for (String p : text.strip().split("\\n\\s*\\n")) {
      String s = p.strip().replaceAll("\\s*\\n\\s*", " ");
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  public static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  /** {@code designs/<design>.txt}: each design's source text from the manifest. */
  static List<Page.DesignLink> writeDesigns(Path dir, ResultsData data) throws IOException {
    Path designs = dir.resolve("designs");
    deleteTree(designs);
    Files.createDirectories(designs);
    List<Page.DesignLink> out = new ArrayList<>();
    String baseline = SummaryTable.baseline(data);
    for (int i = 0; i < data.designs.size(); i++) {
      String name = data.designs.get(i);
      String source = "";
      for (JsonNode d : data.manifest.path("designs")) {
        if (d.path("name").asText().equals(name)) {
          source = sourceText(d.path("source"));
          if (d.path("set").isArray() && !d.path("set").isEmpty()) {
            // An entry with its own settings: say which, above the design it runs.
            List<String> sets = new ArrayList<>();
            d.path("set").forEach(v -> sets.add(v.asText()));
            source = "// " + name + ": design " + d.path("as_given").asText() + " with "
                + String.join(", ", sets) + "\n" + source;
          }
        }
      }
      if (source.isBlank()) {
        source = "(the results directory does not record the source of design " + name + ")";
      }
      String file = ResultsWriter.fileName(name) + ".txt";
      Files.writeString(designs.resolve(file), source.endsWith("\n") ? source : source + "\n",
          StandardCharsets.UTF_8);
      out.add(new Page.DesignLink(name, "designs/" + file,
          ChartStyle.hex(ChartStyle.design(i)), name.equals(baseline)));
    }
    return out;
  }

  /**
   * A design's source as the manifest holds it: text, or the files of its extends chain (the
   * design's own first), each headed by its name.
   */
  static String sourceText(JsonNode source) {
    if (!source.isArray()) {
      return source.asText("");
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode f : source) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append("// ==== ").append(f.path("file").asText()).append(" ====\n");
      String text = f.path("text").asText("");
      sb.append(text.endsWith("\n") ? text : text + "\n");
    }
    return sb.toString();
  }

  /** The machine from the manifest (its effective values, or the workload's keys). */
  static List<Page.Fact> machine(JsonNode manifest) {
    JsonNode m = manifest.path("machine");
    boolean effective = !m.isMissingNode();
    if (!effective) {
      m = manifest.path("workload").path("resolved").path("machine");
    }
    List<Page.Fact> out = new ArrayList<>();
    out.add(new Page.Fact("cores", orDefault(m.path("cores"), "4")));
    out.add(new Page.Fact("sockets", orDefault(m.path("sockets"), "1")));
    out.add(new Page.Fact("spinlocks", orDefault(m.path("spinlock"), "queued")));
    out.add(new Page.Fact("mutex and rwsem spin on owner",
        orDefault(m.path("spin_on_owner"), "true").equals("true") ? "yes" : "no"));
    JsonNode c = m.path("costs");
    if (effective && c.isObject()) {
      List<String> costs = new ArrayList<>();
      costs.add("atomic " + Fmt.time(c.path("atomic_local_ns").asLong()));
      costs.add("cache-line transfer " + Fmt.time(c.path("transfer_same_socket_ns").asLong())
          + " within a socket, " + Fmt.time(c.path("transfer_cross_socket_ns").asLong())
          + " across");
      costs.add("wake-up " + Fmt.time(c.path("wakeup_ns").asLong()));
      costs.add("context switch " + Fmt.time(c.path("context_switch_ns").asLong()));
      costs.add("time slice " + Fmt.time(c.path("time_slice_ns").asLong()));
      costs.add("RWSEM_WAIT_TIMEOUT " + Fmt.time(c.path("rwsem_wait_timeout_ns").asLong()));
      costs.add("page_lock_unfairness " + c.path("folio_lock_unfairness").asText());
      out.add(new Page.Fact("costs", String.join("; ", costs)));
    }
    return out;
  }

  private static String orDefault(JsonNode n, String dflt) {
    return n.isMissingNode() || n.isNull() ? dflt : n.asText();
  }

  static List<Page.Fact> runFacts(ResultsData data) {
    JsonNode m = data.manifest;
    List<Page.Fact> out = new ArrayList<>();
    if (m.path("sweep_point").isArray()) {
      List<String> sets = new ArrayList<>();
      m.path("sweep_point").forEach(n -> sets.add(n.asText()));
      out.add(new Page.Fact("sweep point", String.join(" ", sets)));
    }
    out.add(new Page.Fact("replications", data.replicationCount()
        + " per design; replication r of every design uses substream r of every random stream"
        + " (common random numbers)"));
    out.add(new Page.Fact("seed", data.text("seed")));
    long simNs = m.path("simulated_ns_per_run").asLong();
    if (simNs > 0) {
      out.add(new Page.Fact("simulated per run", Fmt.time(simNs)
          + " (ramp included)"));
    }
    if (m.has("simulated_events")) {
      out.add(new Page.Fact("simulated events", String.format(Locale.ROOT, "%,d",
          m.path("simulated_events").asLong())));
    }
    out.add(new Page.Fact("faultsim", data.text("faultsim_version")));
    return out;
  }

  static List<Page.LockTable> lockTables(ResultsData data) {
    List<String> columns = List.of("class name", "con-bounces", "contentions", "waittime-min",
        "waittime-max", "waittime-total", "waittime-avg", "acq-bounces", "acquisitions",
        "holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg",
        "waiting at the end");
    List<Page.LockTable> out = new ArrayList<>();
    for (int i = 0; i < data.designs.size(); i++) {
      String design = data.designs.get(i);
      List<Page.LockLine> rows = new ArrayList<>();
      String lastClass = null;
      for (ResultsData.LockRow r : data.locks) {
        if (!r.design().equals(design)) {
          continue;
        }
        rows.add(new Page.LockLine(r.displayName(), List.of(Long.toString(r.conBounces()),
            Long.toString(r.contentions()), Fmt.lockStatUs(r.waitMinNs()),
            Fmt.lockStatUs(r.waitMaxNs()), Fmt.lockStatUs(r.waitTotalNs()),
            Fmt.lockStatUs(r.waitAvgNs()), Long.toString(r.acqBounces()),
            Long.toString(r.acquisitions()), Fmt.lockStatUs(r.holdMinNs()),
            Fmt.lockStatUs(r.holdMaxNs()), Fmt.lockStatUs(r.holdTotalNs()),
            Fmt.lockStatUs(r.holdAvgNs()), Long.toString(data.waitingAtEnd
                .getOrDefault(design, Map.of()).getOrDefault(r.displayName(), 0L))),
            !r.className().equals(lastClass)));
        lastClass = r.className();
      }
      out.add(new Page.LockTable(design, ChartStyle.hex(ChartStyle.design(i)),
          "lock_stat/" + ResultsWriter.fileName(design) + ".txt", columns, rows,
          points(data, design), lockEvents(data, design)));
    }
    return out;
  }

  /**
   * A design's contention points: per class, most contended first as in the table, the
   * {@value faultsim.stats.LockStatFormat#POINTS} most frequent contention then contending
   * points, both sides of an rwsem together, as lock_stat lists them.
   */
  static List<Page.Point> points(ResultsData data, String design) {
    Map<String, Map<String, Map<String, Long>>> byClass = new java.util.LinkedHashMap<>();
    for (ResultsData.LockRow r : data.locks) {
      if (r.design().equals(design) && r.contentions() > 0) {
        byClass.putIfAbsent(r.className(), new java.util.LinkedHashMap<>());
      }
    }
    for (ResultsData.SiteRow s : data.sites) {
      if (s.design().equals(design) && byClass.containsKey(s.className())) {
        byClass.get(s.className()).computeIfAbsent(s.point(), k -> new java.util.TreeMap<>())
            .merge(s.site(), s.count(), Long::sum);
      }
    }
    List<Page.Point> out = new ArrayList<>();
    byClass.forEach((cls, points) -> {
      for (String point : List.of("contention", "contending")) {
        for (Map.Entry<String, Long> e : faultsim.stats.LockStatRow.top(
            points.getOrDefault(point, Map.of()), faultsim.stats.LockStatFormat.POINTS)) {
          out.add(new Page.Point(cls, point, e.getKey(), e.getValue()));
        }
      }
    });
    return out;
  }

  /** A design's lock event counters ({@code rwsem_*} rows of job vmstat), summed. */
  static List<Page.Fact> lockEvents(ResultsData data, String design) {
    List<Page.Fact> out = new ArrayList<>();
    for (ResultsData.SummaryRow r : data.summary) {
      if (r.design().equals(design) && r.job().equals("vmstat")
          && r.metric().startsWith("rwsem_")) {
        out.add(new Page.Fact(r.metric(), String.format(Locale.ROOT, "%,d",
            Math.round(r.mean() * r.n()))));
      }
    }
    return out;
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".partial");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteTree(Path p) throws IOException {
    faultsim.results.ResultsWriter.deleteTree(p);
  }

}
