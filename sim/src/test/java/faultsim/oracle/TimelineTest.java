package faultsim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two-column drawing of an interleaving, from the lines violations.txt holds. */
class TimelineTest {
  @Test
  void stepsGoToTheirTasksColumn_inTimeOrder_otherLinesDropped() {
    String timeline = String.join("\n",
        "    [punch] in vfs_fallocate > ext4_punch_hole",
        "    [punch]     104.850us        down_read(jbd2_handle)",
        "    [reader/0]    107.761us  do_user_addr_fault",
        "    [punch]     109.944us        free_blocks(data, 64, 192)",
        "");
    // Width 32: the time column is 12 wide, then " | " and 32 characters per task (the longest
    // step, "      free_blocks(data, 64, 192)", is exactly 32); trailing blanks are cut.
    String pad = " ".repeat(32);
    assertThat(Timeline.columns(timeline, 32)).isEqualTo(String.join("\n",
        "             | punch" + " ".repeat(27) + " | reader/0",
        "-".repeat(12) + "-+-" + "-".repeat(32) + "-+-" + "-".repeat(32),
        "   104.850us |       down_read(jbd2_handle)",
        "   107.761us | " + pad + " | do_user_addr_fault",
        "   109.944us |       free_blocks(data, 64, 192)",
        ""));
    // Narrower, a step is cut to width - 1 characters and marked with '~'.
    assertThat(Timeline.columns(timeline, 12)).contains("   104.850us |       down_~\n");
  }

  @Test
  void noSteps_nothing() {
    assertThat(Timeline.columns("    [punch] in vfs_fallocate\n", 24)).isEmpty();
  }
}
