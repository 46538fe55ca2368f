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

/** A log-scale axis with ticks at 1, 2 and 5 times powers of ten, labelled plainly. */
final class LatencyAxis extends LogAxis {
  LatencyAxis(String label) {
    super(label);
    setBase(10);
    setSmallestValue(1e-3);
  }

  /** Tick values within the axis range, ascending. */
  List<Double> tickValues() {
    List<Double> out = new ArrayList<>();
    double lo = getLowerBound();
    double hi = getUpperBound();
    if (!(lo > 0) || !(hi > lo)) {
      return out;
    }
    int e0 = (int) Math.floor(Math.log10(lo));
    int e1 = (int) Math.ceil(Math.log10(hi));
    boolean sparse = e1 - e0 > 4;
    for (int e = e0; e <= e1; e++) {
      for (int m : sparse ? new int[] {1} : new int[] {1, 2, 5}) {
        double v = m * Math.pow(10, e);
        if (v >= lo && v <= hi) {
          out.add(v);
        }
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
    for (double v : tickValues()) {
      ticks.add(new NumberTick(TickType.MAJOR, v, ChartStyle.numberFormat().format(v),
          horizontal ? TextAnchor.TOP_CENTER : TextAnchor.CENTER_RIGHT, TextAnchor.CENTER, 0.0));
    }
    return ticks;
  }
}
