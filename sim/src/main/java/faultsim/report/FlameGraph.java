package faultsim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A flame graph of a folded stacks file ({@code stacks/<design>.folded}), drawn as Brendan
 * Gregg's flamegraph.pl draws one: the root at the bottom, each frame a rectangle as wide as the
 * time spent in it and in what it called, its callees stacked above it in name order, each with
 * a {@code <title>} that a browser shows on hover (the frame, its time, its share). Colours tell
 * where the time went: design functions and primitives on the CPU in warm colours, spinning red,
 * waiting on a lock or a wait queue blue, sleeping and I/O grey-blue, waiting for a core grey.
 * A plain SVG with no script, the same bytes for the same file.
 */
final class FlameGraph {
  static final int WIDTH = 1200;
  static final int FRAME_HEIGHT = 16;
  private static final int PAD_TOP = 36;
  private static final int PAD_BOTTOM = 8;
  private static final int PAD_SIDE = 10;
  /** Frames narrower than this many pixels are left out, as flamegraph.pl's --minwidth. */
  private static final double MIN_WIDTH = 0.1;
  private static final double CHAR_WIDTH = 6.6;

  private FlameGraph() {}

  /** A frame and its callees; {@code total} includes theirs. */
  static final class Frame {
    final String name;
    long self;
    long total;
    final TreeMap<String, Frame> children = new TreeMap<>();

    Frame(String name) {
      this.name = name;
    }
  }

  /**
   * The tree of a folded file's lines ({@code a;b;c 123}) under a root frame {@code rootName}.
   *
   * @throws IOException naming the line if one is not {@code stack count}
   */
  static Frame parse(Path file, String rootName) throws IOException {
    Frame root = new Frame(rootName);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      long ns;
      try {
        ns = space < 0 ? -1 : Long.parseLong(line.substring(space + 1));
      } catch (NumberFormatException e) {
        ns = -1;
      }
      if (ns < 0) {
        throw new IOException(file + ":" + (i + 1) + ": expected 'frame;frame;... count'");
      }
      Frame f = root;
      f.total += ns;
      for (String name : line.substring(0, space).split(";")) {
        f = f.children.computeIfAbsent(name, Frame::new);
        f.total += ns;
      }
      f.self += ns;
    }
    return root;
  }

  static int depth(Frame f) {
    int d = 0;
    for (Frame c : f.children.values()) {
      d = Math.max(d, depth(c));
    }
    return d + 1;
  }

  /** The SVG of the tree, {@link #WIDTH} wide and as high as its deepest stack. */
  static String svg(Frame root, String title, String subtitle) {
    int levels = depth(root);
    int height = PAD_TOP + levels * FRAME_HEIGHT + PAD_BOTTOM;
    StringBuilder sb = new StringBuilder();
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH)
        .append(' ').append(height).append("\" font-family=\"Verdana, sans-serif\""
            + " font-size=\"11\">\n");
    sb.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#fbfbf6\"/>\n");
    sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"16\" text-anchor=\"middle\""
        + " font-size=\"14\">").append(escape(title)).append("</text>\n");
    sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"30\" text-anchor=\"middle\""
        + " fill=\"#555\">").append(escape(subtitle)).append("</text>\n");
    if (root.total > 0) {
      double scale = (WIDTH - 2.0 * PAD_SIDE) / root.total;
      draw(sb, root, PAD_SIDE, height - PAD_BOTTOM - FRAME_HEIGHT, scale, root.total, 0);
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void draw(StringBuilder sb, Frame f, double x, int y, double scale,
      long all, int level) {
    double w = f.total * scale;
    if (w < MIN_WIDTH) {
      return;
    }
    sb.append("<g><title>").append(escape(f.name)).append(" (")
        .append(String.format(Locale.ROOT, "%,d", f.total)).append(" ns, ")
        .append(String.format(Locale.ROOT, "%.2f", 100.0 * f.total / all))
        .append(" %)</title><rect x=\"").append(num(x)).append("\" y=\"").append(y)
        .append("\" width=\"").append(num(w)).append("\" height=\"").append(FRAME_HEIGHT - 1)
        .append("\" rx=\"2\" fill=\"").append(level == 0 ? "#e0e0e0" : colour(f.name))
        .append("\"/>");
    int chars = (int) ((w - 6) / CHAR_WIDTH);
    if (chars >= 3) {
      String label = f.name.length() <= chars ? f.name
          : f.name.substring(0, chars - 2) + "..";
      sb.append("<text x=\"").append(num(x + 3)).append("\" y=\"").append(y + FRAME_HEIGHT - 4)
          .append("\">").append(escape(label)).append("</text>");
    }
    sb.append("</g>\n");
    double cx = x;
    for (Frame c : f.children.values()) {
      draw(sb, c, cx, y - FRAME_HEIGHT, scale, all, level + 1);
      cx += c.total * scale;
    }
  }

  /**
   * A frame's colour: by what the time was (see the class comment), and for work a warm hue
   * from the name, so the same function has the same colour in every graph.
   */
  static String colour(String name) {
    if (name.startsWith("[spin ")) {
      return "#e8483b";
    }
    if (name.startsWith("[wait ") || name.startsWith("[wait_event ")) {
      return "#5b8fd6";
    }
    if (name.startsWith("[io ") || name.equals("[sleep]")) {
      return "#9fb6cf";
    }
    if (name.startsWith("[")) {
      return name.equals("[user]") ? "#e6c86e" : "#bdbdbd";
    }
    int h = 0;
    for (int i = 0; i < name.length(); i++) {
      h = h * 31 + name.charAt(i);
    }
    int v = Math.floorMod(h, 1000);
    int r = 205 + v % 50;
    int g = 80 + (v / 7) % 120;
    int b = 40 + (v / 13) % 40;
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /**
   * Writes {@code charts/flame-<design>.svg} for every design with a {@code stacks/} file, and
   * says what it drew.
   */
  static List<Page.Flame> write(ResultsData data, Path charts) throws IOException {
    List<Page.Flame> out = new ArrayList<>();
    for (int i = 0; i < data.designs.size(); i++) {
      String design = data.designs.get(i);
      String file = faultsim.results.ResultsWriter.fileName(design);
      Path folded = data.dir.resolve("stacks").resolve(file + ".folded");
      if (!Files.isRegularFile(folded)) {
        continue;
      }
      Frame root = parse(folded, "all");
      int n = data.replicationCount();
      String subtitle = "every task's simulated time, summed over " + n
          + (n == 1 ? " replication" : " replications") + ": on the CPU (warm), spinning (red),"
          + " waiting on locks (blue), sleeping or in I/O (grey-blue), off a core (grey)";
      String svg = svg(root, "Where the time goes: " + design, subtitle);
      Files.createDirectories(charts);
      String name = "flame-" + file + ".svg";
      Files.writeString(charts.resolve(name), svg, StandardCharsets.UTF_8);
      out.add(new Page.Flame(design, ChartStyle.hex(ChartStyle.design(i)), "charts/" + name,
          "stacks/" + file + ".folded", WIDTH,
          PAD_TOP + depth(root) * FRAME_HEIGHT + PAD_BOTTOM, top(root),
          Files.isRegularFile(data.dir.resolve("trace").resolve(file + ".json"))
              ? "trace/" + file + ".json" : ""));
    }
    return out;
  }

  /**
   * Where most time was spent (not passed through): the three biggest frames by their own time,
   * each with its caller ({@code filemap_read_folio > [io disk]}), over all paths to them.
   */
  static List<String> top(Frame root) {
    Map<String, Long> leaves = new TreeMap<>();
    collect(root, null, leaves);
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(leaves.entrySet());
    sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(3, sorted.size()); i++) {
      out.add(sorted.get(i).getKey() + ": " + Fmt.percent((double) sorted.get(i).getValue()
          / root.total).replace("+", ""));
    }
    return out;
  }

  private static void collect(Frame f, Frame parent, Map<String, Long> out) {
    if (f.self > 0 && parent != null) {
      out.merge(parent.name + " > " + f.name, f.self, Long::sum);
    }
    for (Frame c : f.children.values()) {
      collect(c, f, out);
    }
  }
}
