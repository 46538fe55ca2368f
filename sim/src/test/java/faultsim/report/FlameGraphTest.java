package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flame graphs drawn from folded stacks files. */
final class FlameGraphTest {
  private static final Pattern FRAME = Pattern.compile("<g><title>([^<]*)</title><rect x=\""
      + "([0-9.]+)\" y=\"([0-9]+)\" width=\"([0-9.]+)\"");

  /**
   * 1000 ns in all: job a 750 (f 500 of which g 250, then a wait of 250) and job b 250. The
   * drawing area is 1180 px wide, so 1 ns is 1.18 px: a 1180, f 590, g and the wait 295, b 295;
   * callees sit one row (16 px) above their caller, in name order from the caller's left edge.
   */
  @Test
  void svg_framesAreAsWideAsTheirTimeAndStackedOnTheirCaller(@TempDir Path dir)
      throws IOException {
    Path folded = dir.resolve("x.folded");
    Files.writeString(folded, "a;[wait &l->lock] 250\na;f 250\na;f;g 250\nb 250\n",
        StandardCharsets.UTF_8);

    String svg = FlameGraph.svg(FlameGraph.parse(folded, "all"), "t", "s");

    List<String> frames = new ArrayList<>();
    Matcher m = FRAME.matcher(svg);
    while (m.find()) {
      frames.add(m.group(1) + " x=" + m.group(2) + " y=" + m.group(3) + " w=" + m.group(4));
    }
    // Four levels: height 36 + 4 × 16 + 8 = 108; the root row at y = 108 - 8 - 16 = 84.
    assertThat(svg).contains("height=\"108\"");
    assertThat(frames).containsExactly(
        "all (1,000 ns, 100.00 %) x=10.0 y=84 w=1180.0",
        "a (750 ns, 75.00 %) x=10.0 y=68 w=885.0",
        "[wait &amp;l-&gt;lock] (250 ns, 25.00 %) x=10.0 y=52 w=295.0",
        "f (500 ns, 50.00 %) x=305.0 y=52 w=590.0",
        "g (250 ns, 25.00 %) x=305.0 y=36 w=295.0",
        "b (250 ns, 25.00 %) x=895.0 y=68 w=295.0");
    assertThat(svg).doesNotContain("<script");
    // Waiting on a lock is blue, whatever the lock.
    assertThat(svg).contains("fill=\"#5b8fd6\"");
    // Four frames have time of their own, 250 ns each; ties keep name order.
    assertThat(FlameGraph.top(FlameGraph.parse(folded, "all"))).containsExactly(
        "a > [wait &l->lock]: 25.0 %", "a > f: 25.0 %", "all > b: 25.0 %");
  }

  @Test
  void parse_lineWithoutCount_namesFileAndLine(@TempDir Path dir) throws IOException {
    Path folded = dir.resolve("bad.folded");
    Files.writeString(folded, "a;b 10\na;c ten\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> FlameGraph.parse(folded, "all")).isInstanceOf(IOException.class)
        .hasMessageContaining("bad.folded:2: expected 'frame;frame;... count'");
  }
}
