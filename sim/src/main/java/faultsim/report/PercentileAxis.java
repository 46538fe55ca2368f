package faultsim.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A log-scale axis of {@code 1/(1-p)} for percentile plots, as HdrHistogram's plotter draws them:
 * ticks at 50 %, 90 %, 99 %, 99.9 %... so each decade of the tail gets equal room.
 */
final class PercentileAxis extends LogAxis {
  /** Tick positions ({@code 1/(1-p)}) and labels. */
  static final double[] TICKS = {2, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
  static final String[] LABELS = {"50%", "90%", "99%", "99.9%", "99.99%", "99.999%",
      "99.9999%"};

  PercentileAxis(String label, double maxOneOverOneMinusP) {
    super(label);
    setBase(10);
    setSmallestValue(1);
    setAutoRange(false);
    double upper = 100;
    while (upper < maxOneOverOneMinusP && upper < TICKS[TICKS.length - 1]) {
      upper *= 10;
    }
    setRange(1, upper);
  }

  /** The labels of the ticks within the axis range, left to right. */
  List<String> tickLabels() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < TICKS.length; i++) {
      if (TICKS[i] >= getLowerBound() && TICKS[i] <= getUpperBound()) {
        out.add(LABELS[i]);
      }
    }
    return out;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
      RectangleEdge edge) {
    List<NumberTick> ticks = new ArrayList<>();
    boolean horizontal = RectangleEdge.isTopOrBottom(edge);
    for (int i = 0; i < TICKS.length; i++) {
      if (TICKS[i] >= getLowerBound() && TICKS[i] <= getUpperBound()) {
        ticks.add(new NumberTick(TickType.MAJOR, TICKS[i], LABELS[i],
            horizontal ? TextAnchor.TOP_CENTER : TextAnchor.CENTER_RIGHT,
            TextAnchor.CENTER, 0.0));
      }
    }
    return ticks;
  }
}
