package faultsim.report;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/**
 * Writes a chart as PNG (JFreeChart's encoder) and SVG (JFreeSVG). Both are functions of the chart
 * alone: the SVG's definition ids are prefixed with the chart's file name instead of JFreeSVG's
 * default, which is taken from the clock.
 */
final class ChartFiles {
  private ChartFiles() {}

  static void write(Figure f, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve(f.name() + ".png"))) {
      ChartUtils.writeChartAsPNG(out, f.chart(), f.width(), f.height());
    }
    Files.writeString(dir.resolve(f.name() + ".svg"), svg(f), StandardCharsets.UTF_8);
  }

  static String svg(Figure f) {
    SVGGraphics2D g = new SVGGraphics2D(f.width(), f.height());
    g.setDefsKeyPrefix(f.name() + "-");
    f.chart().draw(g, new Rectangle(0, 0, f.width(), f.height()));
    return g.getSVGDocument() + "\n";
  }
}
