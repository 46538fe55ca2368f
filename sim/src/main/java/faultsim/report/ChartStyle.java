package faultsim.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleInsets;

/**
 * One look for every chart: white background, light grid, sans-serif fonts large enough to read
 * in a browser at 100 %, and colour-blind-safe palettes. Designs take the Okabe-Ito colours in
 * the order the results directory lists them, so a design has the same colour in every chart
 * and beside its name in the page; lock classes and CPU states, which are never designs, take
 * Paul Tol's muted palette instead so they are not mistaken for one.
 */
final class ChartStyle {
  /** Okabe & Ito (2008), without yellow, which is unreadable on white; black last. */
  static final List<Color> DESIGN_COLOURS = List.of(
      new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
      new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000));

  /** Paul Tol's muted scheme, for categories that are not designs. */
  static final List<Color> CATEGORY_COLOURS = List.of(
      new Color(0x332288), new Color(0x88CCEE), new Color(0x44AA99), new Color(0x117733),
      new Color(0x999933), new Color(0xDDCC77), new Color(0xCC6677), new Color(0x882255),
      new Color(0xAA4499), new Color(0xDDDDDD));

  static final Color GRID = new Color(0xDDDDDD);
  static final Color TEXT = new Color(0x222222);
  static final String FONT = Font.SANS_SERIF;
  static final BasicStroke LINE = new BasicStroke(2f, BasicStroke.CAP_ROUND,
      BasicStroke.JOIN_ROUND);

  static final int WIDTH = 880;
  static final int HEIGHT = 440;

  private ChartStyle() {}

  static Color design(int index) {
    return DESIGN_COLOURS.get(Math.floorMod(index, DESIGN_COLOURS.size()));
  }

  static Color category(int index) {
    return CATEGORY_COLOURS.get(Math.floorMod(index, CATEGORY_COLOURS.size()));
  }

  /** {@code #rrggbb}, for the page. */
  static String hex(Color c) {
    return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xFFFFFF);
  }

  static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  /** Numbers on axes, the same in every locale. */
  static NumberFormat numberFormat() {
    DecimalFormat f = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
    return f;
  }

  /** Applies the common look to {@code chart} (call after the plot is complete). */
  static JFreeChart apply(JFreeChart chart) {
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(6, 6, 6, 30));
    if (chart.getTitle() != null) {
      chart.getTitle().setFont(new Font(FONT, Font.BOLD, 17));
      chart.getTitle().setPaint(TEXT);
    }
    Plot plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setInsets(new RectangleInsets(8, 4, 4, 8));
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
      xy.setDomainGridlineStroke(new BasicStroke(1f));
      xy.setRangeGridlineStroke(new BasicStroke(1f));
      xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
      axis(xy.getDomainAxis());
      axis(xy.getRangeAxis());
    } else if (plot instanceof CategoryPlot cp) {
      cp.setRangeGridlinePaint(GRID);
      cp.setRangeGridlineStroke(new BasicStroke(1f));
      cp.setAxisOffset(RectangleInsets.ZERO_INSETS);
      if (cp.getRenderer() instanceof BarRenderer br) {
        br.setBarPainter(new StandardBarPainter());
        br.setShadowVisible(false);
        br.setDrawBarOutline(false);
      }
      CategoryAxis d = cp.getDomainAxis();
      d.setAxisLineVisible(false);
      d.setLabelFont(new Font(FONT, Font.PLAIN, 14));
      d.setLabelPaint(TEXT);
      d.setTickLabelFont(new Font(FONT, Font.PLAIN, 13));
      d.setTickLabelPaint(TEXT);
      d.setMaximumCategoryLabelLines(2);
      axis(cp.getRangeAxis());
    }
    for (int i = 0; i < chart.getSubtitleCount(); i++) {
      Title t = chart.getSubtitle(i);
      if (t instanceof LegendTitle legend) {
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setItemFont(new Font(FONT, Font.PLAIN, 13));
        legend.setItemPaint(TEXT);
      } else if (t instanceof TextTitle text) {
        text.setFont(new Font(FONT, Font.PLAIN, 12));
        text.setPaint(TEXT);
      }
    }
    return chart;
  }

  private static void axis(ValueAxis a) {
    a.setAxisLineVisible(false);
    a.setLabelFont(new Font(FONT, Font.PLAIN, 14));
    a.setLabelPaint(TEXT);
    a.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
    a.setTickLabelPaint(TEXT);
    if (a instanceof NumberAxis n && n.getNumberFormatOverride() == null
        && !(a instanceof org.jfree.chart.axis.SymbolAxis)) {
      n.setNumberFormatOverride(numberFormat());
    }
  }
}
